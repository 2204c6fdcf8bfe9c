import assert from "node:assert/strict";
import { runCli } from "./helpers/fake_io.ts";

const dir = new URL("./fixtures/generate/", import.meta.url);
const cases = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => /\.records\.jsonl?$/.test(n)).sort();
const read = (name: string) => Deno.readTextFileSync(new URL(name, dir));
const exists = (name: string) => {
  try {
    return Deno.statSync(new URL(name, dir)).isFile;
  } catch {
    return false;
  }
};

Deno.test("generate golden pairs: records -> policy (stdout) and summary (stderr)", async (t) => {
  assert.ok(cases.length >= 7, "golden fixtures are missing");
  for (const name of cases) {
    const base = name.replace(/\.records\.jsonl?$/, "");
    await t.step(base, async () => {
      const result = await runCli(["generate"], { stdin: read(name) });
      assert.equal(result.code, 0);
      assert.equal(result.stdout, read(`${base}.policy.json`));
      assert.equal(result.stderr, read(`${base}.stderr.txt`));
    });
    for (const mode of ["precise", "prefix"]) {
      if (!exists(`${base}.${mode}.policy.json`)) continue;
      await t.step(`${base} --resources ${mode}`, async () => {
        const result = await runCli(["generate", "--resources", mode], { stdin: read(name) });
        assert.equal(result.code, 0);
        assert.equal(result.stdout, read(`${base}.${mode}.policy.json`));
        assert.equal(result.stderr, read(`${base}.${mode}.stderr.txt`));
      });
    }
  }
});
