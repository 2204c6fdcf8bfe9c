/**
 * generate's bulk parsing (stdin cut into chunks, one JSON.parse each) against the
 * streaming parser: the same policy and the same error positions for every shape of
 * input, in this thread and on the worker pool.
 */
import assert from "node:assert/strict";
import { synthRecords } from "../../scripts/synth_records.ts";
import { seededRandom } from "../helpers/hostile_records.ts";
import { runCli } from "../helpers/fake_io.ts";

// ~3,000 records of ~1.6 KB: a dozen 256 KiB chunks.
const records = [...synthRecords(3000, { seed: 5, distinctResources: 400, calls: "wide" })];
const asDocument = (rs: unknown[]) => '{"Records": [' + rs.map((r) => JSON.stringify(r)).join(", ") + "]}\n";
const asLines = (rs: unknown[]) => rs.map((r) => JSON.stringify(r)).join("\n") + "\n";
// A first key the splitter does not expect: the whole input goes through the streaming parser.
const streamedOnly = (rs: unknown[]) => '{"note": 1, "Records": [' + rs.map((r) => JSON.stringify(r)).join(",") + "]}";

async function generate(stdin: string, ...args: string[]): Promise<string> {
  const r = await runCli(["generate", ...args], { stdin });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

Deno.test("generate: a Records document, JSON Lines and the worker pool give the streaming parser's policy", async () => {
  for (const args of [[], ["--resources", "precise"], ["--per-principal"]]) {
    const reference = await generate(streamedOnly(records), ...args);
    assert.ok(reference.length > 10_000, "a policy of some size");
    assert.equal(await generate(asDocument(records), ...args), reference, `document ${args}`);
    assert.equal(await generate(asLines(records), ...args), reference, `lines ${args}`);
    assert.equal(await generate(asDocument(records), "--workers", "2", ...args), reference, `workers ${args}`);
    assert.equal(await generate(asLines(records), "--workers", "1", ...args), reference, `lines, workers ${args}`);
  }
});

Deno.test("generate: a cut inside a record (a nested object opening like a record) falls back, same policy", async () => {
  // Every record ends with `[{}, {"eventVersion": ...}]`: the last opening in any chunk is inside a record.
  const tricky = records.map((r) => ({ ...r, zz: [{}, { eventVersion: "nested" }] }));
  const reference = await generate(streamedOnly(tricky));
  assert.equal(await generate(asDocument(tricky)), reference);
  assert.equal(await generate(asDocument(tricky), "--workers", "2"), reference);
  // Concatenated documents: chunks span a document boundary, which does not parse as cut.
  const half = tricky.length / 2;
  const concatenated = asDocument(records.slice(0, half)) + asDocument(records.slice(half));
  assert.equal(await generate(concatenated), await generate(streamedOnly(records)));
});

/** The 1-based line and column of `index` in `text`. */
function positionOf(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  return `line ${line} column ${index - before.lastIndexOf("\n")}`;
}

Deno.test("generate: a syntax error after many chunks is reported at its exact line and column", async () => {
  const bad = (text: string) => {
    // The ':' after a key: strings stay balanced, so the streaming parser finds the record and JSON.parse the 'x'.
    const at = text.indexOf('"eventName":', Math.floor(text.length * 0.8)) + '"eventName"'.length;
    return { text: text.slice(0, at) + "x" + text.slice(at + 1), at };
  };
  for (const [shape, text] of [["document", asDocument(records)], ["lines", asLines(records)]] as const) {
    const broken = bad(text);
    for (const workers of ["0", "2"]) {
      const r = await runCli(["generate", "--workers", workers], { stdin: broken.text });
      assert.equal(r.code, 1, `${shape} ${workers}`);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `error: cannot read records from stdin: invalid JSON: unexpected 'x' at ${
          positionOf(broken.text, broken.at)
        }\n`,
        `${shape} --workers ${workers}`,
      );
    }
  }
});

Deno.test("generate: JSON Lines with lines that are not objects skips and counts them as a Records array does", async () => {
  const hostile = ['"a string"', "5", "null", "[1]"];
  const lines = (rs: unknown[]) => rs.map((r) => JSON.stringify(r)).join("\n") + "\n" + hostile.join("\n");
  const inArray = '{"Records": [' + records.map((r) => JSON.stringify(r)).join(",") + "," + hostile.join(",") + "]}";
  const reference = await runCli(["generate"], { stdin: inArray });
  assert.equal(reference.code, 0, reference.stderr);
  assert.match(reference.stderr, /4 skipped \(4 not an object\)/);
  // Small (streamed), large (bulk chunks), large on workers, hostile lines first, no newline at the end.
  const small = records.slice(0, 3);
  const cases: [string, string[], string][] = [
    [lines(small), [], "3 records"],
    [lines(records), [], "3000 records"],
    [lines(records), ["--workers", "1"], "3000 records"],
    [hostile.join("\n") + "\n" + asLines(small).trimEnd(), [], "3 records"],
  ];
  for (const [stdin, args, label] of cases) {
    const r = await runCli(["generate", ...args], { stdin });
    assert.equal(r.code, 0, `${label} ${args}: ${r.stderr}`);
    assert.match(r.stderr, /4 skipped \(4 not an object\)/, `${label} ${args}`);
    assert.match(r.stderr, new RegExp(`${Number(label.split(" ")[0]) + 4} records`), `${label} ${args}`);
  }
  assert.equal((await runCli(["generate"], { stdin: lines(records) })).stdout, reference.stdout);
});

Deno.test("generate: input that begins with a UTF-8 byte order mark (as Windows tools write it) gives the same policy", async () => {
  // 100 records (~160 KB: more than one read of the shape, less than the old 256 KiB one) and all of them.
  for (const some of [records.slice(0, 100), records]) {
    for (const [shape, text] of [["document", asDocument(some)], ["lines", asLines(some)]] as const) {
      const reference = await generate(text);
      for (const args of [[], ["--workers", "2"]]) {
        assert.equal(await generate("\uFEFF" + text, ...args), reference, `${some.length} ${shape} ${args}`);
      }
    }
  }
});

/**
 * API Gateway calls whose grant reads `requestParameters` (the scanner's conditional key), the member anywhere in
 * its record: first, last, repeated past the 16 the scanner tracks, the event source spelled with a `\u` escape or
 * named only in an Insights event's details; other calls' `requestParameters` (dropped) beside them.
 */
function apiGatewayDocument(count: number): string {
  const random = seededRandom(31);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const names = [
    "GetRestApi",
    "CreateDeployment",
    "GetStages",
    "UpdateStage",
    "DeleteRestApi",
    "GetApi",
    "CreateRoute",
  ];
  const params = (i: number) =>
    pick([{ restApiId: `r${i % 37}`, stageName: `s${i % 3}` }, { apiId: `a${i % 11}` }, {}, { restApiId: "r1" }]);
  const elements = Array.from({ length: count }, (_, i) => {
    const other = records[i % records.length] as Record<string, unknown>;
    const call = random() < 0.5
      ? { eventSource: "apigateway.amazonaws.com", eventName: pick(names) }
      : random() < 0.3
      ? {
        eventType: "AwsCloudTrailInsight",
        eventSource: "s3.amazonaws.com",
        insightDetails: { eventSource: "apigateway.amazonaws.com", eventName: pick(names) },
      }
      : { eventSource: other.eventSource, eventName: other.eventName };
    const members = Object.entries({ ...other, ...call }).filter(([k]) => k !== "requestParameters")
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    const member = `"requestParameters":${JSON.stringify(params(i))}`;
    const at = pick(["first", "last", "middle", "repeated"]);
    if (at === "first") members.unshift(member);
    else if (at === "last") members.push(member);
    else if (at === "middle") members.splice(members.length >> 1, 0, member);
    else {members.unshift(
        ...Array.from({ length: 1 + (i % 20) }, (_, j) => `"requestParameters":{"restApiId":"x${j}"}`),
        member,
      );}
    const text = `{${members.join(",")}}`;
    return random() < 0.05 ? text.replace('"apigateway.amazonaws.com"', '"api\\u0067ateway.amazonaws.com"') : text;
  });
  return '{"Records": [' + elements.join(", ") + "]}\n";
}

Deno.test("generate and check: API Gateway grants from a scanned Records document are the streaming parser's", async () => {
  const doc = apiGatewayDocument(3000);
  const streamed = '{"note": 1, ' + doc.slice(1);
  const policyFile = await Deno.makeTempFile({ suffix: ".json" });
  try {
    for (const args of [[], ["--resources", "precise"], ["--resources", "prefix"], ["--per-principal"], ["--check"]]) {
      const reference = await generate(streamed, ...args);
      assert.match(reference, /arn:aws:apigateway:[^"]*\/restapis\//, `${args}: grants that read requestParameters`);
      if (args[0] === "--resources") assert.match(reference, /\/restapis\/r\d+/, `${args}: the API's id filled in`);
      for (const workers of ["0", "2"]) {
        assert.equal(await generate(doc, "--workers", workers, ...args), reference, `${args} --workers ${workers}`);
      }
    }
    // A policy from the first records only: many observed calls denied, the same report either way.
    await Deno.writeTextFile(policyFile, await generate(apiGatewayDocument(200), "--resources", "precise"));
    for (
      const args of [["--format", "json"], ["--resources", "precise"], ["--resources", "precise", "--format", "json"]]
    ) {
      const check = ["check", "--policy", policyFile, ...args];
      const a = await runCli(check, { stdin: doc });
      const b = await runCli(check, { stdin: streamed });
      assert.equal(a.code, 1, a.stderr);
      assert.deepEqual([a.code, a.stdout, a.stderr], [b.code, b.stdout, b.stderr], `check ${args}`);
    }
  } finally {
    await Deno.remove(policyFile);
  }
});
