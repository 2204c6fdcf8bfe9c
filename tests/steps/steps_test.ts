/**
 * Every record step, run on the pool both in a worker and in this thread: the same
 * inputs give the same results, `load()` is awaited on both paths, and a record or a
 * document a step cannot process is skipped and counted while the rest comes back.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import type { RecordInput } from "../../src/sources/record_input.ts";
import { runStep, type StepPoolOptions } from "../../src/pool/step_pool.ts";
import type { StepName } from "../../src/steps/registry.ts";
import { record } from "../helpers/log_tree.ts";

const encoder = new TextEncoder();
const ROLE = "arn:aws:iam::111122223333:role/ci";

/** A record nested `depth` levels deep under `requestParameters` (built as text: no stack needed). */
function deepRecordText(depth: number, time = "2024-03-01T10:00:00Z"): string {
  const good = JSON.stringify({ ...record(time, ROLE, "RunInstances"), eventID: "deep" });
  return good.slice(0, -1) + `,"requestParameters":{"x":${"[".repeat(depth)}${"]".repeat(depth)}}}`;
}

function file(name: string, recordTexts: string[]): RecordInput {
  return { kind: "bytes", name, bytes: gzipSync(encoder.encode(`{"Records":[${recordTexts.join(",")}]}`)) };
}

const good = (i: number) => JSON.stringify(record(`2024-03-01T10:0${i}:00Z`, ROLE, "RunInstances"));

function corpus(): RecordInput[] {
  return [
    file("a.json.gz", [good(1), good(2)]),
    file("deep.json.gz", [good(3), deepRecordText(100_000), good(4)]),
    { kind: "bytes", name: "bad.json.gz", bytes: encoder.encode("not gzip") },
    { kind: "text", name: "c.jsonl", doc: { text: `${good(5)}\n{not json\n${good(6)}\n`, format: "lines" } },
    // A chunk of a Records array's elements, as generate's stdin splitter cuts it.
    {
      kind: "text",
      name: "chunk",
      doc: { text: `${good(7)},${deepRecordText(100_000)},${good(8)}`, format: "records" },
    },
  ];
}

async function* each(inputs: RecordInput[]): AsyncGenerator<RecordInput> {
  for (const input of inputs) yield { ...input }; // bytes are moved to a worker: give each run its own copy
}

async function outcomes<N extends StepName>(options: Omit<StepPoolOptions<N>, "workers">, workers: number) {
  const out = [];
  for await (const { input, result } of runStep(each(corpus()), { ...options, workers } as StepPoolOptions<N>)) {
    out.push({ name: input.kind === "file" ? input.path : input.name, result });
  }
  return out;
}

type Params<N extends StepName> = StepPoolOptions<N>["params"];
const filter = { from: -Infinity, to: Infinity, roleArns: [] };
const cases: { [N in StepName]: Params<N>[] } = {
  select: [{ filter, format: "json" }, { filter, format: "jsonl" }, {
    filter: { ...filter, roleArns: [ROLE] },
    format: "json",
  }],
  changes: [{ from: -Infinity, to: Infinity, categories: [], actors: [], resources: [], includeFailed: true }],
  sync: [{}],
  generate: [
    { perPrincipal: false, observe: true },
    { perPrincipal: true, observe: false, resources: "precise" },
    { perPrincipal: false, observe: false, resources: "prefix" },
  ],
};

for (const [step, paramsList] of Object.entries(cases) as [StepName, Params<StepName>[]][]) {
  for (const params of paramsList) {
    Deno.test(`${step} step ${JSON.stringify(params).slice(0, 80)}: in a worker as in this thread`, async () => {
      const inThread = await outcomes({ step, params }, 0);
      const inWorker = await outcomes({ step, params }, 1);
      assert.deepEqual(inWorker, inThread);
      assert.deepEqual(inThread.map((o) => o.name), ["a.json.gz", "deep.json.gz", "bad.json.gz", "c.jsonl", "chunk"]);
      assert.deepEqual(inThread[2]!.result, { ok: false, issue: "not gzip data" });
      for (const i of [0, 1, 3]) {
        assert.ok(inThread[i]!.result.ok, `${inThread[i]!.name}: ${JSON.stringify(inThread[i]!.result)}`);
      }
      const chunk = inThread[4]!.result;
      if (step === "generate") {
        assert.ok(chunk.ok && "partials" in chunk.out, JSON.stringify(chunk).slice(0, 200));
        assert.equal(chunk.out.partials.reduce((n, [, p]) => n + p.records, 0), 3);
      }
    });
  }
}

Deno.test("select step: a record nested 100,000 deep is skipped and counted, the file's other records are kept", async () => {
  for (const workers of [0, 1]) {
    const results = await outcomes({ step: "select", params: { filter, format: "json" } }, workers);
    const deep = results[1]!.result;
    assert.ok(deep.ok, JSON.stringify(deep));
    assert.equal(deep.out.matched, 2);
    assert.deepEqual(Object.values(deep.skipped), [1], JSON.stringify(deep.skipped));
    assert.match(Object.keys(deep.skipped)[0]!, /nested too deeply/);
    const text = new TextDecoder().decode(deep.out.bytes);
    assert.match(text, /"eventTime": "2024-03-01T10:03:00Z"/);
    assert.match(text, /"eventTime": "2024-03-01T10:04:00Z"/);
  }
});

Deno.test("runStep() reruns in this thread the inputs of a worker that dies, says so, and goes on", async () => {
  const dying = new Worker(new URL("../helpers/dying_worker.ts", import.meta.url), { type: "module" });
  await new Promise<void>((resolve) => {
    dying.onmessage = () => resolve();
    dying.postMessage({ ping: true });
  });
  const inputs = Array.from({ length: 6 }, (_, i) => file(`f${i}.json.gz`, [good(i)]));
  const seen = [];
  const params = { filter, format: "jsonl" as const };
  for await (const outcome of runStep(each(inputs), { step: "select", params, workers: 1, started: [dying] })) {
    assert.ok(outcome.result.ok);
    seen.push([outcome.input.kind === "bytes" ? outcome.input.name : "", outcome.result.out.matched, outcome.retried]);
  }
  assert.deepEqual(seen.map(([name, matched]) => [name, matched]), inputs.map((_, i) => [`f${i}.json.gz`, 1]));
  assert.match(String(seen[0]![2]), /^select worker failed: .*Maximum call stack size exceeded/);
});
