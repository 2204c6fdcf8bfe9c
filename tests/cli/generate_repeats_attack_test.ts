/**
 * Hostile inputs for repeats (records reduced to the same text as an earlier one, counted by what the first did):
 * records that differ only in dropped keys, key order, white space, escapes or duplicate keys; API Gateway records
 * whose request parameters are kept or dropped by text elsewhere in the record; chunks the scanner leaves to the
 * whole parse (nesting past its depth, more than 4 MiB, invalid UTF-8). Every output of generate and check must be
 * what reading each record whole gives (a first key the splitter does not expect: every record streamed).
 */
import assert from "node:assert/strict";
import { synthRecords } from "../../scripts/synth_records.ts";
import { realShapeRecords } from "../../scripts/real_shape_records.ts";
import { seededRandom } from "../helpers/hostile_records.ts";
import { runCli } from "../helpers/fake_io.ts";

type Rec = Record<string, unknown>;
const encoder = new TextEncoder();

/** Distinct records to vary: synthetic and real shapes, API Gateway calls, and some skipped or ignored. */
function baseRecords(): Rec[] {
  const api = (name: string, params: unknown): Rec => ({
    eventSource: "apigateway.amazonaws.com",
    eventName: name,
    requestParameters: params,
  });
  return [
    ...synthRecords(150, { seed: 5, distinctResources: 30, calls: "wide" }),
    ...realShapeRecords().slice(0, 60),
    api("GetRestApis", {}),
    api("UpdateStage", { restApiId: "abc123", stageName: "prod" }),
    api("GetResource", { restApiId: "abc123", resourceId: "r1" }),
    api("CreateDeployment", { restApiId: "def456" }),
    // API Gateway's v2 calls are named in request parameters too; the marker is in eventSource.
    { eventSource: "apigateway.amazonaws.com", eventName: "GetApis", requestParameters: { apiId: "q1" } },
    { eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity" },
    { eventSource: "s3.amazonaws.com" },
    { eventSource: "s3.amazonaws.com", eventName: "GetObject", eventType: "AwsServiceEvent" },
    { eventSource: "s3.amazonaws.com", eventName: 7 },
  ];
}

/** A record's JSON text, spelled in one of several ways the whole parse reads alike (or, for duplicates, not). */
function spell(record: Rec, random: () => number): string {
  let entries = Object.entries(record);
  if (random() < 0.3) entries = entries.reverse();
  const sep = random() < 0.3 ? " : " : ":";
  const comma = random() < 0.3 ? " ,\n\t" : ",";
  const escape = (json: string) =>
    random() < 0.2 ? json.replace(/[A-Z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : json;
  const parts = entries.map(([k, v]) => `${escape(JSON.stringify(k))}${sep}${escape(JSON.stringify(v))}`);
  const r = random();
  // Duplicate keys: the last one wins.
  if (r < 0.05) parts.unshift(`"eventName":"Decoy"`);
  else if (r < 0.1) parts.push(`"eventName":"ListBuckets"`);
  else if (r < 0.14) parts.push(`"requestParameters":{"restApiId":"dup"}`);
  return `{${parts.join(comma)}}`;
}

/** Keys no command reads; some hold the API Gateway marker (so that a record's request parameters are kept). */
function dropped(i: number, random: () => number): Rec {
  const r = random();
  const agent = r < 0.1 ? "aws-cli apigateway" : r < 0.15 ? "\\u0061pigateway" : "aws-cli/2";
  return { eventTime: `2024-03-01T00:00:${String(i % 60).padStart(2, "0")}Z`, eventID: `id-${i}`, userAgent: agent };
}

/** ~`count` record texts, most repeating earlier ones, with hostile elements at `hostile` positions. */
function recordTexts(seed: number, count: number, hostile: string[]): string[] {
  const random = seededRandom(seed);
  const bases = baseRecords();
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const base = bases[Math.floor(random() * bases.length)]!;
    texts.push(spell(random() < 0.5 ? { ...base, ...dropped(i, random) } : { ...dropped(i, random), ...base }, random));
    if (i % 1500 === 700 && hostile.length > 0) texts.push(hostile.shift()!);
  }
  return texts;
}

const HOSTILE = {
  deep: () => `{"eventSource":"s3.amazonaws.com","eventName":"GetObject","x":${"[".repeat(5000)}${"]".repeat(5000)}}`,
  deepKept: () =>
    `{"eventSource":"apigateway.amazonaws.com","eventName":"GetRestApis","requestParameters":{"d":${"[".repeat(4200)}${
      "]".repeat(4200)
    }}}`,
  big: () => `{"eventSource":"s3.amazonaws.com","eventName":"ListBuckets","blob":"${"x".repeat((4 << 20) + 100)}"}`,
  notAnObject: () => `"just text"`,
};

function documentBytes(texts: string[], head: string, bad: boolean): Uint8Array {
  const text = `${head}[${texts.join(", ")}]}\n`;
  const bytes = encoder.encode(text);
  if (!bad) return bytes;
  // Invalid UTF-8 in a dropped key of some records and in a kept one of others: both read as U+FFFD.
  const out = new Uint8Array(bytes);
  const marks = [encoder.encode("aws-cli/2"), encoder.encode('"Decoy"')];
  let n = 0;
  for (let i = 0; i < out.length - 10; i++) {
    for (const mark of marks) {
      if (out[i] === mark[0] && mark.every((b, j) => out[i + j] === b) && n++ % 3 === 0) out[i + 1] = 0xff;
    }
  }
  return out;
}

async function compare(args: string[], texts: string[], bad = false): Promise<void> {
  const whole = await runCli(args, { stdin: documentBytes(texts, '{"note": 1, "Records": ', bad) });
  const scanned = await runCli(args, { stdin: documentBytes(texts, '{"Records": ', bad) });
  assert.ok(whole.stdout.length > 100, whole.stderr);
  assert.equal(scanned.stderr, whole.stderr, `stderr of ${args.join(" ")}`);
  assert.equal(scanned.stdout, whole.stdout, `stdout of ${args.join(" ")}`);
  assert.equal(scanned.code, whole.code);
}

const MODES = [[], ["--resources", "precise"], ["--resources", "prefix"], ["--resources", "precise", "--check"], [
  "--check",
  "--compact",
]];

Deno.test("repeats attack: spellings, duplicate keys, API Gateway markers: generate reads as whole", async () => {
  for (const seed of [1, 2]) {
    const texts = recordTexts(seed, 5000, []);
    for (const args of MODES) await compare(["generate", ...args], texts);
  }
});

Deno.test("repeats attack: chunks the scanner leaves to the whole parse, invalid UTF-8: generate reads as whole", async () => {
  const texts = recordTexts(3, 6000, [HOSTILE.deep(), HOSTILE.deepKept(), HOSTILE.notAnObject(), HOSTILE.big()]);
  for (const args of MODES.slice(0, 4)) await compare(["generate", ...args], texts, true);
});

Deno.test("repeats attack: check reads as whole", async () => {
  const texts = recordTexts(4, 5000, [HOSTILE.deep(), HOSTILE.deepKept()]);
  const policy = await Deno.makeTempFile({ suffix: ".json" });
  const half = await runCli(["generate", "--resources", "precise"], {
    stdin: documentBytes(texts.slice(0, 800), '{"note": 1, "Records": ', false),
  });
  await Deno.writeTextFile(policy, half.stdout);
  try {
    for (const args of [[], ["--format", "json"], ["--resources", "records"], ["--resources", "prefix"]]) {
      await compare(["check", "--policy", policy, ...args], texts, true);
    }
  } finally {
    await Deno.remove(policy);
  }
});

Deno.test("repeats attack: --per-principal, --workers and --max-size read as whole", async () => {
  const texts = recordTexts(5, 4000, [HOSTILE.deep(), HOSTILE.notAnObject()]);
  for (
    const args of [["--per-principal"], ["--workers", "2"], ["--max-size", "6144"], ["--per-principal", "--check"]]
  ) {
    await compare(["generate", ...args], texts);
  }
});
