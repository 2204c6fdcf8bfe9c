import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { layerViolations } from "../scripts/check_layers.ts";

const root = new URL("..", import.meta.url).pathname;

Deno.test("layers: every module of src/ imports only what its layer may, and the pure layers do no I/O", async () => {
  assert.deepEqual(await layerViolations(root), []);
});

Deno.test("layerViolations() finds a core module that imports output or reads a file, output that imports cli, commands that import cli, runtime that imports commands", async () => {
  const tree = await Deno.makeTempDir();
  const files: Record<string, string> = {
    "src/core/ok.ts": 'import x from "../../data/t.json" with { type: "json" };\n/** Deno.readFile in a comment */\n',
    "src/core/bad.ts": 'import { f } from "../output/f.ts";\nexport const t = Deno.readTextFileSync("x");\n',
    "src/output/f.ts": 'import type { Io } from "../cli/io.ts";\nexport const f = () => Date.now();\n',
    "src/steps/s.ts": 'import { gunzipSync } from "node:zlib";\n',
    "src/sources/w.ts": 'import { run } from "../commands/c.ts";\n',
    "src/commands/c.ts": 'import { program } from "../cli/program.ts";\nimport { Io } from "../runtime/io.ts";\n',
    "src/runtime/r.ts": 'import { runSelect } from "../commands/select.ts";\n',
    "src/pool/p.ts": 'import { Io } from "../runtime/io.ts";\n',
  };
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(dirname(join(tree, path)), { recursive: true });
    await Deno.writeTextFile(join(tree, path), text);
  }
  assert.deepEqual(await layerViolations(tree), [
    'src/commands/c.ts: commands/ may not import cli ("../cli/program.ts")',
    "src/core/bad.ts: core/ is pure but uses Deno.*",
    'src/core/bad.ts: core/ may not import output ("../output/f.ts")',
    "src/output/f.ts: output/ is pure but uses the clock (Date.now)",
    'src/output/f.ts: output/ may not import cli ("../cli/io.ts")',
    'src/pool/p.ts: pool/ may not import runtime ("../runtime/io.ts")',
    'src/runtime/r.ts: runtime/ may not import commands ("../commands/select.ts")',
    'src/sources/w.ts: sources/ may not import commands ("../commands/c.ts")',
    'src/steps/s.ts: imports "node:zlib" (I/O)',
  ]);
});
