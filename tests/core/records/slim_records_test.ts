/**
 * The WebAssembly scanner behind generate's and check's bulk parsing (`slim_records.ts`): it must accept exactly
 * the chunks JSON.parse accepts and give the same records reduced to the wanted keys, the same position after the
 * chunk, and leave to the whole parse whatever it is not sure about.
 */
import assert from "node:assert/strict";
import { chunkGeometry } from "../../../src/core/records/bulk_records.ts";
import { MAX_SLIM_CHUNK, SlimRecords } from "../../../src/core/records/slim_records.ts";
import { SLIM_SCAN_SOURCE_SHA256 } from "../../../src/core/records/slim_scan_wasm.ts";
import { seededRandom } from "../../helpers/hostile_records.ts";
import { realShapeRecords } from "../../../scripts/real_shape_records.ts";

const KEYS = ["eventSource", "eventName", "eventType", "resources", "requestParameters"];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the whole parse gives, each object reduced to `keys` (as JSON.parse reads them: escapes decoded, last wins). */
function wholeParse(bytes: Uint8Array, keys: readonly string[]): unknown[] | undefined {
  let all: unknown[];
  try {
    all = JSON.parse(`[${decoder.decode(bytes)}]`);
  } catch {
    return undefined;
  }
  return all.map((v) => reduce(v, keys));
}

function reduce(value: unknown, keys: readonly string[]): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => keys.includes(k)));
}

/** The scanner's records reduced the same way (it keeps keys with escapes, which may spell a wanted one). */
function slimParse(bytes: Uint8Array, keys: readonly string[]) {
  const read = new SlimRecords(keys).read(bytes);
  return read && { records: read.records.map((v) => reduce(v, keys)), geometry: read.geometry };
}

Deno.test("slim_scan_wasm.ts was built from the slim_scan.c beside it (else: deno task build-slim-scan)", async () => {
  const source = await Deno.readFile(new URL("../../../src/core/records/slim_scan.c", import.meta.url));
  const sha = new Uint8Array(await crypto.subtle.digest("SHA-256", source));
  assert.equal([...sha].map((b) => b.toString(16).padStart(2, "0")).join(""), SLIM_SCAN_SOURCE_SHA256);
});

Deno.test("slim records: real-shaped CloudTrail records come out as JSON.parse reads them, reduced to the keys", () => {
  const records = realShapeRecords();
  const text = records.map((r) => JSON.stringify(r)).join(",\n  ");
  const bytes = encoder.encode(text);
  const slim = slimParse(bytes, KEYS);
  assert.ok(slim, "the scanner reads real-shaped records");
  assert.deepEqual(slim.records, wholeParse(bytes, KEYS));
  assert.deepEqual(slim.geometry, chunkGeometry(text));
  assert.ok(records.length > 100);
});

/** Values of random shape: every JSON token, escapes, non-ASCII, deep and wide. */
function randomValue(random: () => number, depth: number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const r = random();
  if (depth > 4 || r < 0.45) {
    return pick([
      () => JSON.stringify(pick(["", "a", "é", "日本", "😀", 'x"y', "back\\slash", "\u0001", "\u2028", "tab\t"])),
      () => pick(['"\\u0041"', '"\\ud800"', '"\\/"', '"\\b\\f\\n\\r\\t"']),
      () => pick(["0", "-0", "1", "10", "-12.5e3", "1E+2", "0.5", "3.25E-7", "123456789012345678901234567890"]),
      () => pick(["true", "false", "null"]),
    ])();
  }
  const ws = () => pick(["", "", " ", "\n", "\t", "\r\n  "]);
  const n = Math.floor(random() * 4);
  const items = Array.from({ length: n }, () => randomValue(random, depth + 1));
  if (r < 0.7) return `[${ws()}${items.join(`${ws()},${ws()}`)}${ws()}]`;
  const key = () => JSON.stringify(pick([...KEYS, "awsRegion", "eventTime", "", "a b", "é"]));
  const escapedKey = () => pick(['"event\\u0053ource"', '"eventN\\u0061me"', '"\\u0000"']);
  return `{${ws()}${items.map((v) => `${random() < 0.1 ? escapedKey() : key()}${ws()}:${ws()}${v}`).join(",")}${ws()}}`;
}

/** Byte-level damage: what a torn, hostile or unlucky input holds. */
function damage(bytes: Uint8Array, random: () => number): Uint8Array {
  const at = Math.floor(random() * (bytes.length + 1));
  const insert = encoder.encode('\u0000\n "\\,{}[]:0123456789-+.eExuntrfabl\u001f\u007f');
  const byte = () => random() < 0.9 ? insert[Math.floor(random() * insert.length)]! : 0x80 + Math.floor(random() * 128);
  const out = [...bytes];
  const r = random();
  if (r < 0.3) out.splice(at, 1);
  else if (r < 0.6) out.splice(at, 0, byte());
  else if (r < 0.9) out.splice(at, 1, byte());
  else out.splice(at, Math.floor(random() * 8), ...[0xef, 0xbb, 0xbf].slice(0, Math.floor(random() * 4)));
  return new Uint8Array(out);
}

Deno.test("slim records: 20,000 random and damaged chunks: accepted exactly when JSON.parse accepts, same records", () => {
  const random = seededRandom(20);
  const noKeys = new SlimRecords([]); // every value skipped: only the scanner's own checks decide
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    const n = 1 + Math.floor(random() * 4);
    const elements = Array.from({ length: n }, () => randomValue(random, 0));
    let bytes: Uint8Array = encoder.encode(elements.join(random() < 0.5 ? "," : ", \n"));
    if (i % 2 === 1) { for (let d = 1 + Math.floor(random() * 3); d > 0; d--) bytes = damage(bytes, random); }
    const whole = wholeParse(bytes, KEYS);
    const slim = slimParse(bytes, KEYS);
    const label = JSON.stringify(decoder.decode(bytes));
    // The one case the whole parse reads and the scanner leaves to it: a byte order mark (TextDecoder drops it).
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    assert.equal(
      noKeys.read(bytes) !== undefined,
      whole !== undefined && !bom,
      `scanned as JSON.parse reads: ${label}`,
    );
    if (slim) {
      assert.deepEqual(slim.records, whole, label);
      assert.deepEqual(slim.geometry, chunkGeometry(decoder.decode(bytes)), label);
      accepted++;
    } else assert.ok(whole === undefined || bom, `the scanner refused what JSON.parse reads: ${label}`);
  }
  assert.ok(accepted > 9_000, `most chunks are accepted (${accepted})`);
});

Deno.test("slim records: a key spelled with escapes is read as JSON.parse reads it, and the last of two keys wins", () => {
  const text = '{"event\\u0053ource":"s3.amazonaws.com","eventName":"A","eventName":"B","other":{"eventName":"C"}}';
  const slim = new SlimRecords(KEYS).read(encoder.encode(text));
  assert.deepEqual(slim?.records, [{ eventSource: "s3.amazonaws.com", eventName: "B" }]);
});

Deno.test("slim records: what it leaves to the whole parse (deep nesting, huge chunks, bad bytes) is refused", () => {
  const reader = new SlimRecords(KEYS);
  const nested = (depth: number) => encoder.encode(`{"eventName":"x","a":${"[".repeat(depth)}${"]".repeat(depth)}}`);
  assert.ok(reader.read(nested(4000)), "4,000 deep is scanned");
  assert.equal(reader.read(nested(5000)), undefined, "deeper than the scanner's stack");
  assert.equal(reader.read(nested(100_000)), undefined);
  assert.equal(reader.read(new Uint8Array(MAX_SLIM_CHUNK + 1).fill(0x20)), undefined, "over the chunk limit");
  for (
    const bad of [
      '{"a":1}\u0000',
      '{"a":"\u0000"}',
      '{"a":01}',
      '{"a":1.}',
      '{"a":-}',
      "[1,]",
      '{"a":1,}',
      "1 2",
      "nul",
    ]
  ) {
    assert.equal(reader.read(encoder.encode(bad)), undefined, JSON.stringify(bad));
  }
  // Invalid UTF-8 inside a string reads as TextDecoder reads it (U+FFFD), as the whole parse does.
  const bytes = new Uint8Array([...encoder.encode('{"eventName":"a'), 0xff, 0xc0, ...encoder.encode('b"}')]);
  assert.deepEqual(reader.read(bytes)?.records, wholeParse(bytes, KEYS));
  // After the refusals the scanner still reads: no state is left behind.
  assert.deepEqual(reader.read(encoder.encode('{"eventName":"ok"}'))?.records, [{ eventName: "ok" }]);
});

Deno.test("slim records: keys must be plain names (the scanner compares bytes)", () => {
  assert.throws(() => new SlimRecords(["event\\u0053ource"]), /not a plain key/);
  assert.throws(() => new SlimRecords(["é"]), /not a plain key/);
});
