/**
 * generate and check count a repeated record (one reduced to the same text as an earlier one: the scanner gives
 * only its number) by what the first one did. Every output, counts on stderr included, must be what reading each
 * record whole gives: records that repeat with other times and ids, that are skipped or need no permission, that
 * name several resources (EC2 launches), and a chunk the scanner leaves to the whole parse in the middle.
 */
import assert from "node:assert/strict";
import { synthRecords } from "../../scripts/synth_records.ts";
import { realShapeRecords } from "../../scripts/real_shape_records.ts";
import { seededRandom } from "../helpers/hostile_records.ts";
import { runCli } from "../helpers/fake_io.ts";

/** ~6,000 records, most repeating an earlier one with another time, id and user agent (which no command reads). */
function repeatingRecords(): unknown[] {
  const random = seededRandom(3);
  const distinct: Record<string, unknown>[] = [
    ...synthRecords(600, { seed: 9, distinctResources: 60, calls: "wide" }),
    ...realShapeRecords(),
    { eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity" },
    { eventSource: "s3.amazonaws.com" }, // skipped: no eventName
  ];
  const out: unknown[] = [];
  for (let i = 0; i < 6000; i++) {
    const r = distinct[Math.floor(random() * distinct.length)]!;
    out.push({ ...r, eventTime: `2024-03-01T00:00:${String(i % 60).padStart(2, "0")}Z`, eventID: `id-${i}` });
    if (i % 997 === 0) out.push(i % 2 ? 42 : "not a record"); // skipped: not an object
  }
  // Nested past the scanner's depth: its chunk is parsed whole, and numbering begins again after it.
  const deep = "[".repeat(5000) + "]".repeat(5000);
  out.splice(3000, 0, { ...distinct[0]!, requestParameters: { deep: JSON.parse(deep) } });
  // Resources out of order, twice (the second a repeat): a statement made once keeps them so, one made twice is sorted.
  const unsorted = {
    eventSource: "s3.amazonaws.com",
    eventName: "CopyObject",
    resources: [{ ARN: "arn:aws:s3:::zz/b" }, { ARN: "arn:aws:s3:::aa/a" }],
  };
  out.push({ ...unsorted, eventID: "first" }, { ...unsorted, eventID: "second" });
  return out;
}

const records = repeatingRecords();
const asDocument = (rs: unknown[]) => '{"Records": [' + rs.map((r) => JSON.stringify(r)).join(", ") + "]}\n";
// A first key the splitter does not expect: every record is streamed and read whole.
const streamedOnly = (rs: unknown[]) => '{"note": 1, "Records": [' + rs.map((r) => JSON.stringify(r)).join(",") + "]}";

async function run(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return await runCli(args, { stdin });
}

Deno.test("generate: repeated records give the policy and the counts of reading every record whole", async () => {
  for (
    const args of [[], ["--resources", "precise"], ["--resources", "prefix"], ["--check"], [
      "--resources",
      "precise",
      "--check",
    ]]
  ) {
    const whole = await run(["generate", ...args], streamedOnly(records));
    const scanned = await run(["generate", ...args], asDocument(records));
    assert.equal(whole.code, 0, whole.stderr);
    assert.ok(whole.stdout.length > 5_000, "a policy of some size");
    assert.match(whole.stderr, /\d+ records/);
    assert.equal(scanned.stdout, whole.stdout, `policy ${args}`);
    assert.equal(scanned.stderr, whole.stderr, `counts ${args}`);
  }
});

Deno.test("check: repeated records give the report of reading every record whole", async () => {
  const policy = await Deno.makeTempFile({ suffix: ".json" });
  // A policy of half the calls: many denied calls, each with its count.
  const half = await run(["generate", "--resources", "precise"], streamedOnly(records.slice(0, 1500)));
  await Deno.writeTextFile(policy, half.stdout);
  for (const args of [["--format", "json"], [], ["--resources", "records"], ["--resources", "prefix"]]) {
    const whole = await run(["check", "--policy", policy, ...args], streamedOnly(records));
    const scanned = await run(["check", "--policy", policy, ...args], asDocument(records));
    assert.equal(whole.code, 1, "some calls are denied");
    assert.match(whole.stdout, /denied/);
    assert.equal(scanned.stdout, whole.stdout, `report ${args}`);
    assert.equal(scanned.stderr, whole.stderr, `summary ${args}`);
  }
  await Deno.remove(policy);
});
