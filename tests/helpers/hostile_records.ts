/**
 * A seeded generator of hostile CloudTrail log files for the fuzz test: good records
 * (known ids, to check they come out intact) mixed with records that nest deep, carry
 * huge strings, wrong types, invalid UTF-8, NUL and control characters, numbers such as
 * 1e400, years 0000 and 9999, or are no object at all; and whole files that are not gzip,
 * truncated, not JSON, or hold no Records array. The same seed gives the same files.
 */
import { gzipSync } from "node:zlib";

/** A deterministic PRNG (mulberry32): numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The role of every good record. */
export const FUZZ_ROLE = "arn:aws:iam::111122223333:role/fuzz";
/** Good records' calls: two tracked changes and a read. */
const GOOD_CALLS = ["RunInstances", "AuthorizeSecurityGroupIngress", "DescribeInstances"];
/** Replaced by invalid UTF-8 bytes once the file is encoded. */
const BAD_UTF8_MARK = "@@bad-utf8@@";
const BAD_UTF8 = [0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80];

/** A good record, as an object: what must come out intact. */
export function goodRecord(id: string, minute: number, call: string): Record<string, unknown> {
  return {
    eventVersion: "1.08",
    userIdentity: {
      type: "AssumedRole",
      arn: "arn:aws:sts::111122223333:assumed-role/fuzz/s",
      accountId: "111122223333",
      sessionContext: { sessionIssuer: { type: "Role", arn: FUZZ_ROLE } },
    },
    eventTime: new Date(Date.UTC(2024, 2, 1, 10, minute)).toISOString().replace(".000Z", "Z"),
    eventSource: "ec2.amazonaws.com",
    eventName: call,
    awsRegion: "eu-west-1",
    requestParameters: call === "AuthorizeSecurityGroupIngress" ? { groupId: `sg-${id}` } : { maxResults: 5 },
    responseElements: null,
    eventID: id,
    recipientAccountId: "111122223333",
  };
}

/** JSON texts of hostile values, some very large: pick with the PRNG. */
function hostileValue(random: () => number): string {
  const pick = Math.floor(random() * 12);
  const depth = random() < 0.2 ? 100_000 : 1_000 + Math.floor(random() * 9_000);
  switch (pick) {
    case 0:
      return "[".repeat(depth) + "]".repeat(depth);
    case 1:
      return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    case 2:
      return JSON.stringify("x".repeat(1 << (18 + Math.floor(random() * 3))));
    case 3:
      return [
        "1e400",
        "-1e400",
        "1e-400",
        "123456789012345678901234567890",
        "-0",
        "0.0000001",
      ][Math.floor(random() * 6)]!;
    case 4:
      return JSON.stringify("nul\u0000and\u0001\u001b[31mcontrol\u007f");
    case 5:
      return `"${BAD_UTF8_MARK}"`;
    case 6:
      return '"\\ud800 lone surrogate \\udfff"';
    case 7:
      return ["null", "true", "42", "[]", "{}", '""'][Math.floor(random() * 6)]!;
    default:
      return JSON.stringify(`v${Math.floor(random() * 1e6)}`);
  }
}

const FIELDS = [
  "eventTime",
  "eventName",
  "eventSource",
  "awsRegion",
  "userIdentity",
  "requestParameters",
  "responseElements",
  "resources",
  "eventID",
  "recipientAccountId",
  "userAgent",
  "errorCode",
];
const TIMES = [
  '"0000-01-01T00:00:00Z"',
  '"9999-12-31T23:59:59Z"',
  '"+275760-09-13T00:00:00Z"',
  '"2024-13-45T99:99:99Z"',
  '"2024-03-01T10:00:00.123456789Z"',
  "1709287200000",
];

/** One hostile record as JSON text (it may not be an object at all). */
function hostileRecord(random: () => number, id: string): string {
  const r = random();
  if (r < 0.08) return ["42", '"a string"', "null", "[]", "1e400"][Math.floor(random() * 5)]!;
  const base = goodRecord(id, Math.floor(random() * 60), GOOD_CALLS[Math.floor(random() * 3)]!);
  const fields = Object.entries(base).map(([k, v]) => [k, JSON.stringify(v)]);
  const hits = 1 + Math.floor(random() * 3);
  for (let i = 0; i < hits; i++) {
    const field = FIELDS[Math.floor(random() * FIELDS.length)]!;
    const value = field === "eventTime" && random() < 0.6
      ? TIMES[Math.floor(random() * TIMES.length)]!
      : hostileValue(random);
    const at = fields.findIndex(([k]) => k === field);
    if (at === -1) fields.push([field, value]);
    else fields[at] = [field, value];
  }
  if (random() < 0.1) fields.push(["eventName", '"DuplicateKey"']);
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
}

/** A generated log file: its name and bytes, its good records, and how many records it holds (none when broken). */
export interface FuzzFile {
  name: string;
  bytes: Uint8Array;
  good: Record<string, unknown>[];
  /** Records in the file; undefined for a file that is broken as a whole. */
  records?: number;
}

function encodeWithBadUtf8(text: string): Uint8Array {
  const parts = text.split(BAD_UTF8_MARK).map((p) => new TextEncoder().encode(p));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + (parts.length - 1) * BAD_UTF8.length);
  let offset = 0;
  parts.forEach((p, i) => {
    if (i > 0) {
      out.set(BAD_UTF8, offset);
      offset += BAD_UTF8.length;
    }
    out.set(p, offset);
    offset += p.length;
  });
  return out;
}

/** `count` log files from `seed`: most mix good and hostile records, a few are broken as a whole. */
export function hostileFiles(seed: number, count: number): FuzzFile[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, f) => {
    const name = `111122223333_CloudTrail_eu-west-1_20240301T10${String(f % 60).padStart(2, "0")}Z_fuzz${f}.json.gz`;
    if (f % 7 === 6) {
      const broken = [
        new TextEncoder().encode("not gzip at all"),
        gzipSync(new TextEncoder().encode('{"Records": [')).subarray(0, 12),
        gzipSync(new TextEncoder().encode('{"Records": {"not": "an array"}}')),
        gzipSync(new TextEncoder().encode("{not json")),
        gzipSync(new TextEncoder().encode("[" + "[".repeat(100_000))),
      ][Math.floor(random() * 5)]!;
      return { name, bytes: broken, good: [] };
    }
    const good: Record<string, unknown>[] = [];
    const texts: string[] = [];
    const n = 2 + Math.floor(random() * 6);
    for (let i = 0; i < n; i++) {
      const id = `f${f}-r${i}`;
      if (random() < 0.5) {
        const record = goodRecord(id, Math.floor(random() * 60), GOOD_CALLS[Math.floor(random() * 3)]!);
        good.push(record);
        texts.push(JSON.stringify(record));
      } else texts.push(hostileRecord(random, id));
    }
    const bytes = gzipSync(encodeWithBadUtf8(`{"Records": [${texts.join(",\n")}]}`));
    return { name, bytes, good, records: n };
  });
}
