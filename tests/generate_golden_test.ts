import assert from "node:assert/strict";
import { runCli } from "./helpers/fake_io.ts";

const dir = new URL("./fixtures/generate/", import.meta.url);

Deno.test("generate golden pairs: records -> policy (stdout) and summary (stderr)", async (t) => {
  const cases = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => /\.records\.jsonl?$/.test(n)).sort();
  assert.ok(cases.length >= 6, "golden fixtures are missing");
  for (const name of cases) {
    const base = name.replace(/\.records\.jsonl?$/, "");
    await t.step(base, async () => {
      const result = await runCli(["generate"], { stdin: Deno.readTextFileSync(new URL(name, dir)) });
      assert.equal(result.code, 0);
      assert.equal(result.stdout, Deno.readTextFileSync(new URL(`${base}.policy.json`, dir)));
      assert.equal(result.stderr, Deno.readTextFileSync(new URL(`${base}.stderr.txt`, dir)));
    });
  }
});
