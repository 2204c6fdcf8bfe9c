/**
 * Fuzz: hostile records (deep nesting, huge strings, wrong types, invalid UTF-8, NUL,
 * 1e400, years 0000 and 9999, no object at all) through the select, changes, sync and
 * generate steps and the generate and check commands. Asserts: no crash, every record
 * either output or counted as skipped, and every good record's output intact. The seed
 * is fixed (FUZZ_SEED overrides it, to explore); a failure names it.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { total } from "../../src/core/util/counts.ts";
import { PolicyGenerator } from "../../src/core/policy/policy_generator.ts";
import type { RecordInput } from "../../src/sources/record_input.ts";
import { pythonJson } from "../../src/output/python_json.ts";
import { runStep, type StepOutcome } from "../../src/pool/step_pool.ts";
import type { StepName, StepParams } from "../../src/steps/registry.ts";
import { resolverFor } from "../../src/steps/resource_resolver.ts";
import { runCli } from "../helpers/fake_io.ts";
import { FUZZ_ROLE, type FuzzFile, hostileFiles } from "../helpers/hostile_records.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20261203);
const FILES = hostileFiles(SEED, 21);
const GOOD = FILES.flatMap((f) => f.good);
const at = `(seed ${SEED})`;

async function* inputs(): AsyncGenerator<RecordInput> {
  for (const f of FILES) yield { kind: "bytes", name: f.name, bytes: f.bytes.slice() };
}

async function run<N extends StepName>(step: N, params: StepParams<N>, workers: number) {
  const out: [FuzzFile, StepOutcome<N>][] = [];
  let i = 0;
  for await (const outcome of runStep(inputs(), { step, params, workers } as never)) {
    out.push([FILES[i++]!, outcome as StepOutcome<N>]);
  }
  assert.equal(out.length, FILES.length, at);
  return out;
}

/**
 * Every other file came back; a file broken as a whole is an issue. With `filtered`, a step may also pass a broken
 * file over unparsed, when its text cannot hold a match (`empty` says whether it output nothing).
 */
function checkFiles<N extends StepName>(
  outcomes: [FuzzFile, StepOutcome<N>][],
  filtered?: (result: StepOutcome<N>["result"]) => boolean,
) {
  for (const [file, { result }] of outcomes) {
    if (file.records !== undefined) assert.ok(result.ok, `${file.name}: ${JSON.stringify(result)} ${at}`);
    else if (result.ok) assert.ok(filtered?.(result), `${file.name}: ${JSON.stringify(result)} ${at}`);
    else assert.notEqual(result.issue, "", at);
  }
}

const everything = { from: -Infinity, to: Infinity, roleArns: [] };

Deno.test(`fuzz: select step, in this thread and in a worker ${at}`, async () => {
  for (const [workers, format] of [[0, "jsonl"], [1, "json"]] as const) {
    const outcomes = await run("select", { filter: everything, format }, workers);
    checkFiles(outcomes);
    let output = "";
    for (const [file, { result }] of outcomes) {
      if (!result.ok) continue;
      assert.equal(result.out.matched + total(result.skipped), file.records, `${file.name} ${format} ${at}`);
      output += new TextDecoder().decode(result.out.bytes) + "\n";
    }
    // Byte for byte as select prints them: Python's json.dumps for json (which prints 1e400 as Infinity), JSON for jsonl.
    for (const good of GOOD) {
      assert.ok(output.includes(format === "json" ? pythonJson(good) : JSON.stringify(good)), `${good.eventID} ${at}`);
    }
  }
});

Deno.test(`fuzz: select step with a role filter keeps every good record ${at}`, async () => {
  const outcomes = await run("select", { filter: { ...everything, roleArns: [FUZZ_ROLE] }, format: "jsonl" }, 0);
  checkFiles(outcomes, (result) => result.ok && result.out.matched === 0);
  const ids = new Set<string>();
  for (const [, { result }] of outcomes) {
    if (!result.ok) continue;
    for (const line of new TextDecoder().decode(result.out.bytes).split("\n").filter((l) => l)) {
      ids.add(JSON.parse(line).eventID);
    }
  }
  for (const good of GOOD) assert.ok(ids.has(good.eventID as string), `${good.eventID} ${at}`);
});

Deno.test(`fuzz: changes step finds every good change ${at}`, async () => {
  const filter = { from: -Infinity, to: Infinity, categories: [], actors: [], resources: [], includeFailed: true };
  const outcomes = await run("changes", filter, 0);
  checkFiles(outcomes, (result) => result.ok && result.out.events.length === 0);
  const found = new Set<string>();
  for (const [file, { result }] of outcomes) {
    if (!result.ok) continue;
    // A document that cannot hold a change (no tracked event name in its text) is not parsed: 0 records read.
    assert.ok(result.out.records === file.records || result.out.records === 0 && result.out.events.length === 0, at);
    for (const e of result.out.events) found.add(e.eventId);
  }
  for (const good of GOOD.filter((g) => g.eventName !== "DescribeInstances")) {
    assert.ok(found.has(good.eventID as string), `${good.eventID} ${at}`);
  }
});

/** What the sync step made of the fuzz files: the lines written by key, and the good records of files it refused. */
async function syncOutcome() {
  const outcomes = await run("sync", {}, 0);
  const lines = new Map<string, unknown>();
  const lost: string[] = [];
  for (const [file, { result }] of outcomes) {
    if (!result.ok) {
      assert.ok(result.issue !== "", `${file.name} ${at}`);
      lost.push(...file.good.map((g) => g.eventID as string));
      continue;
    }
    assert.equal(result.out.records, file.records, `${file.name} ${at}`);
    const written = result.out.partitions.reduce((n, p) => n + p.keys.length, 0);
    assert.equal(written + total(result.skipped), file.records, `${file.name} ${at}`);
    for (const p of result.out.partitions) {
      assert.match(p.partition, /^account=[\w.-]+\/region=[\w.-]+\/date=[\w-]+$/);
      assert.ok(!p.partition.split("/").some((part) => part.endsWith("=..") || part.endsWith("=.")), p.partition);
      let start = 0;
      p.keys.forEach((key, i) => {
        lines.set(key, JSON.parse(new TextDecoder().decode(p.bytes.subarray(start, p.ends[i]))));
        start = p.ends[i]!;
      });
    }
  }
  return { lines, lost };
}

Deno.test(`fuzz: sync step writes every record of a file it reads or counts it, good records intact ${at}`, async () => {
  const { lines, lost } = await syncOutcome();
  for (const good of GOOD.filter((g) => !lost.includes(g.eventID as string))) {
    assert.deepEqual(lines.get(good.eventID as string), good, `${good.eventID} ${at}`);
  }
});

Deno.test({
  name: `fuzz: sync step keeps the good records of a file with a record nested too deeply ${at}`,
  fn: async () => {
    const { lost } = await syncOutcome();
    assert.deepEqual(lost, [], at);
  },
});

/** Every record of the good files, as parsed (hostile ones included). */
function allRecords(): unknown[] {
  return FILES.filter((f) => f.records !== undefined).flatMap((f) => {
    const text = new TextDecoder().decode(gunzipSync(f.bytes));
    return JSON.parse(text).Records as unknown[];
  });
}

Deno.test(`fuzz: generate step and generator count every record, the good ones granted ${at}`, async () => {
  const records = allRecords();
  for (const resources of [undefined, "precise"] as const) {
    const generator = new PolicyGenerator({ observe: true, resolver: await resolverFor(resources) });
    for (const r of records) generator.add(r);
    const result = generator.result();
    assert.equal(result.records, records.length, at);
    assert.equal(result.granted + total(result.ignored) + total(result.skipped), records.length, at);
    const actions = new Set(result.policy.Statement.flatMap((s) => s.Action as string[]));
    for (const call of new Set(GOOD.map((g) => g.eventName as string))) assert.ok(actions.has(`ec2:${call}`), call);
    // The same records as chunks of a Records array, through the step, in this thread and in a worker.
    const chunks: RecordInput[] = FILES.filter((f) => f.records !== undefined).map((f) => {
      const text = new TextDecoder().decode(gunzipSync(f.bytes));
      return {
        kind: "text",
        name: f.name,
        doc: { text: text.slice(text.indexOf("[") + 1, text.lastIndexOf("]")), format: "records" },
      };
    });
    for (const workers of [0, 1]) {
      let counted = 0;
      const source = (async function* () {
        yield* chunks;
      })();
      for await (
        const { result } of runStep(source, {
          step: "generate",
          params: { perPrincipal: false, observe: false, resources },
          workers,
        })
      ) {
        assert.ok(result.ok && !("failed" in result.out), at);
        for (const [, partial] of result.out.partials) counted += partial.records;
      }
      assert.equal(counted, records.length, `workers ${workers} ${at}`);
    }
  }
});

/** The records of the files that are not broken, as one `{"Records": [...]}` document (hostile texts as they are). */
function recordsDocument(): string {
  const texts = FILES.filter((f) => f.records !== undefined).map((f) => {
    const text = new TextDecoder().decode(gunzipSync(f.bytes));
    return text.slice(text.indexOf("[") + 1, text.lastIndexOf("]"));
  });
  return `{"Records": [${texts.join(",")}]}`;
}

Deno.test(`fuzz: the generate command reads hostile records to the end and counts each ${at}`, async () => {
  const records = FILES.reduce((n, f) => n + (f.records ?? 0), 0);
  const generated = await runCli(["generate"], { stdin: recordsDocument() });
  assert.equal(generated.code, 0, generated.stderr);
  const summary = /^generate: (\d+) records? ->/m.exec(generated.stderr);
  assert.equal(Number(summary?.[1]), records, generated.stderr);
  const actions = JSON.parse(generated.stdout).Statement.flatMap((s: { Action: string[] }) => s.Action);
  for (const call of new Set(GOOD.map((g) => g.eventName as string))) assert.ok(actions.includes(`ec2:${call}`), call);
});

Deno.test({
  name: `fuzz: the check command evaluates hostile records against their own policy: nothing denied ${at}`,
  fn: async () => {
    const stdin = recordsDocument();
    const generated = await runCli(["generate"], { stdin });
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/policy.json`, generated.stdout);
      const checked = await runCli(["check", "--policy", `${dir}/policy.json`], { stdin });
      assert.equal(checked.code, 0, checked.stderr.slice(0, 500));
      assert.match(checked.stdout, / 0 denied/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
