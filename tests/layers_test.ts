import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { CORE_MAY_IMPORT, layerViolations } from "../scripts/check_layers.ts";

const root = new URL("..", import.meta.url).pathname;

Deno.test("layers: every module of src/ imports only what its layer may, and the pure layers do no I/O", async () => {
  assert.deepEqual(await layerViolations(root), []);
});

Deno.test("layerViolations() finds a core module that imports output or reads a file, output that imports cli, commands that import cli, runtime that imports commands", async () => {
  const tree = await Deno.makeTempDir();
  const files: Record<string, string> = {
    "src/core/util/ok.ts":
      'import x from "../../../data/t.json" with { type: "json" };\n/** Deno.readFile in a comment */\n',
    "src/core/util/bad.ts": 'import { f } from "../../output/f.ts";\nexport const t = Deno.readTextFileSync("x");\n',
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
    "src/core/util/bad.ts: core/ is pure but uses Deno.*",
    'src/core/util/bad.ts: core/ may not import output ("../../output/f.ts")',
    "src/output/f.ts: output/ is pure but uses the clock (Date.now)",
    'src/output/f.ts: output/ may not import cli ("../cli/io.ts")',
    'src/pool/p.ts: pool/ may not import runtime ("../runtime/io.ts")',
    'src/runtime/r.ts: runtime/ may not import commands ("../commands/select.ts")',
    'src/sources/w.ts: sources/ may not import commands ("../commands/c.ts")',
    'src/steps/s.ts: imports "node:zlib" (I/O)',
  ]);
});

Deno.test("layerViolations() finds an import against the direction of core's groups, and a core module in no group", async () => {
  const tree = await Deno.makeTempDir();
  const files: Record<string, string> = {
    "src/core/util/u.ts": "export const u = 1;\n",
    "src/core/records/r.ts": 'import { u } from "../util/u.ts";\nimport type { P } from "../policy/p.ts";\n',
    "src/core/policy/p.ts": 'import { r } from "../records/r.ts";\nimport { i } from "../iam/i.ts";\n',
    "src/core/iam/i.ts": 'export { p } from "../policy/p.ts";\nconst c = await import("../changes/c.ts");\n',
    "src/core/changes/c.ts": 'import { r } from "../records/r.ts";\nimport { u } from "../util/u.ts";\n',
    "src/core/loose.ts": 'import { u } from "./util/u.ts";\n',
    "src/core/misc/m.ts": 'import { u } from "../util/u.ts";\n',
  };
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(dirname(join(tree, path)), { recursive: true });
    await Deno.writeTextFile(join(tree, path), text);
  }
  assert.deepEqual(await layerViolations(tree), [
    'src/core/iam/i.ts: core/iam/ may not import core/changes ("../changes/c.ts")',
    'src/core/iam/i.ts: core/iam/ may not import core/policy ("../policy/p.ts")',
    "src/core/loose.ts: not in a core group (util, records, iam, policy, changes, sync, aws, digest, mcp)",
    "src/core/misc/m.ts: not in a core group (util, records, iam, policy, changes, sync, aws, digest, mcp)",
    'src/core/records/r.ts: core/records/ may not import core/policy ("../policy/p.ts")',
  ]);
});

Deno.test("CORE_MAY_IMPORT is a one-way graph: each group imports itself, and no chain of groups leads back", () => {
  const below = new Map(
    Object.entries(CORE_MAY_IMPORT).map(([group, allowed]) => {
      assert.ok((allowed as readonly string[]).includes(group), `${group} may not import itself`);
      return [group, new Set<string>(allowed.filter((other) => other !== group))];
    }),
  );
  while (below.size > 0) {
    const leaves = [...below].filter(([, others]) => [...others].every((other) => !below.has(other)));
    assert.ok(leaves.length > 0, `a cycle among ${[...below.keys()].join(", ")}`);
    for (const [group] of leaves) below.delete(group);
  }
});
