import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import type { RecordInput } from "../../src/sources/record_input.ts";
import { runStep } from "../../src/pool/step_pool.ts";
import { record } from "../helpers/log_tree.ts";

const filter = { from: -Infinity, to: Infinity, roleArns: [] };
const encoder = new TextEncoder();

function page(i: number): RecordInput {
  const text = JSON.stringify({ Records: Array.from({ length: i % 3 }, () => record("2024-03-01T10:00:00Z")) });
  return i % 2 === 0
    ? { kind: "bytes", name: `p${i}.json.gz`, bytes: gzipSync(encoder.encode(text)) }
    : { kind: "text", name: `p${i}`, doc: { text, format: "records" } };
}

async function* inputs(n: number): AsyncGenerator<RecordInput> {
  for (let i = 0; i < n; i++) yield page(i);
}

Deno.test("runStep() yields every input's result in input order, with workers or in this thread", async () => {
  for (const workers of [0, 1, 2]) {
    const seen: string[] = [];
    let matched = 0;
    for await (
      const { input, result } of runStep(inputs(40), { step: "select", params: { filter, format: "jsonl" }, workers })
    ) {
      seen.push(input.kind === "file" ? input.path : input.name);
      assert.ok(result.ok);
      matched += result.out.matched;
    }
    assert.deepEqual(seen, Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? `p${i}.json.gz` : `p${i}`)));
    assert.equal(matched, Array.from({ length: 40 }, (_, i) => i % 3).reduce((a, b) => a + b, 0), `workers ${workers}`);
  }
});

Deno.test("runStep() stops pulling inputs when its signal aborts", async () => {
  const controller = new AbortController();
  let pulled = 0;
  async function* counted(): AsyncGenerator<RecordInput> {
    for (let i = 0; i < 1000; i++) {
      pulled++;
      yield page(i);
    }
  }
  let results = 0;
  const params = { filter, format: "jsonl" as const };
  for await (const _ of runStep(counted(), { step: "select", params, workers: 2, signal: controller.signal })) {
    if (++results === 5) controller.abort();
  }
  assert.ok(pulled < 30, `pulled ${pulled} of 1000`);
  assert.ok(results >= 5 && results <= pulled);
});

Deno.test("runStep() reports a corrupt input as an issue and goes on", async () => {
  async function* two(): AsyncGenerator<RecordInput> {
    yield { kind: "bytes", name: "bad.json.gz", bytes: encoder.encode("not gzip") };
    yield page(1);
  }
  const results = [];
  for await (const r of runStep(two(), { step: "select", params: { filter, format: "json" }, workers: 1 })) {
    results.push(r.result.ok ? "ok" : r.result.issue);
  }
  assert.deepEqual(results, ["not gzip data", "ok"]);
});
