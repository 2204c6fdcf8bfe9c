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
  const read = new SlimRecords({ keys }).read(bytes);
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
  const noKeys = new SlimRecords({ keys: [] }); // every value skipped: only the scanner's own checks decide
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
  const slim = new SlimRecords({ keys: KEYS }).read(encoder.encode(text));
  assert.deepEqual(slim?.records, [{ eventSource: "s3.amazonaws.com", eventName: "B" }]);
});

Deno.test("slim records: what it leaves to the whole parse (deep nesting, huge chunks, bad bytes) is refused", () => {
  const reader = new SlimRecords({ keys: KEYS });
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
  assert.throws(() => new SlimRecords({ keys: ["event\\u0053ource"] }), /not a plain key/);
  assert.throws(() => new SlimRecords({ keys: ["é"] }), /not a plain key/);
  assert.throws(() => new SlimRecords({ keys: [], conditional: { keys: ["a"], when: "é" } }), /plain ASCII/);
  // JSON spells "/" as "\/" and a tab as "\t": a record holding such a text in an escape would lose its conditional
  // keys (only a \u escape keeps them), so a text with those characters is refused.
  for (const when of ["execute-api/x", "a\tb", "a\nb"]) {
    assert.throws(() => new SlimRecords({ keys: [], conditional: { keys: ["a"], when } }), /plain ASCII/, when);
  }
});

const BASE = ["eventSource", "eventName", "insightDetails"];
const conditional = new SlimRecords({ keys: BASE, conditional: { keys: ["requestParameters"], when: "apigateway" } });

/** What the conditional reader promises: the base keys always, and the conditional key of every API Gateway record. */
function assertConditional(bytes: Uint8Array, label: string): void {
  const whole = wholeParse(bytes, [...BASE, "requestParameters"]);
  const slim = conditional.read(bytes);
  assert.ok(whole && slim, label);
  assert.deepEqual(slim.records.map((r) => reduce(r, BASE)), whole.map((r) => reduce(r, BASE)), label);
  whole.forEach((record, i) => {
    const r = record as Record<string, unknown> | null;
    const source = JSON.stringify([r?.eventSource, (r?.insightDetails as Record<string, unknown>)?.eventSource]);
    if (source.includes("apigateway")) {
      assert.deepEqual((slim.records[i] as typeof r)?.requestParameters, r?.requestParameters, `${label} #${i}`);
    }
  });
}

Deno.test("slim records: a conditional key is kept for every record that holds the text, however it is spelled", () => {
  const other = '{"eventSource":"s3.amazonaws.com","eventName":"GetObject","requestParameters":{"bucketName":"b"}}';
  const api = (source: string) => `{"eventSource":"${source}","eventName":"GET","requestParameters":{"restApiId":"r"}}`;
  const insight = '{"eventType":"AwsCloudTrailInsight","insightDetails":{"eventSource":"apigateway.amazonaws.com",' +
    '"eventName":"GetRestApis"},"requestParameters":{"x":1}}';
  for (
    const source of ["apigateway.amazonaws.com", "api\\u0067ateway.amazonaws.com", "\\u0061pigateway", "x.apigateway"]
  ) {
    assertConditional(encoder.encode([other, api(source), other].join(",")), source);
  }
  assertConditional(encoder.encode([other, insight].join(",")), "an Insights event");
  // Without the text nor an escape, the key is dropped (the point of it).
  const plain = conditional.read(encoder.encode(other));
  assert.deepEqual(plain?.records, [{ eventSource: "s3.amazonaws.com", eventName: "GetObject" }]);
  // The text at every place relative to the scanner's 16-byte steps, the last bytes of the chunk included.
  for (let pad = 0; pad < 40; pad++) {
    const tail = `{"eventName":"x","eventSource":"${"y".repeat(pad)}apigateway","requestParameters":1}`;
    assertConditional(encoder.encode(tail), `text after ${pad} bytes`);
    assertConditional(encoder.encode(`${other},${tail}`), `text after ${pad} bytes, second record`);
    const last = `{"requestParameters":1,"eventName":"x","eventSource":"${"y".repeat(pad)}apigateway"}`;
    assertConditional(encoder.encode(last), `text ending 2 bytes before the end, after ${pad} bytes`);
    assertConditional(encoder.encode(`${other}, ${last}`), `the same, second record, after ${pad} bytes`);
  }
});

Deno.test("slim records: 5,000 random chunks keep every API Gateway record's conditional key", () => {
  const random = seededRandom(21);
  const sources = ["apigateway.amazonaws.com", "s3.amazonaws.com", "api\\u0067ateway", "\\u0041", "apigatewa", "ec2"];
  for (let i = 0; i < 5000; i++) {
    const n = 1 + Math.floor(random() * 5);
    const elements = Array.from({ length: n }, () => {
      const source = sources[Math.floor(random() * sources.length)]!;
      const fields = [`"eventSource":"${source}"`, `"requestParameters":${randomValue(random, 2)}`, '"eventName":"E"'];
      if (random() < 0.2) fields.push(`"insightDetails":{"eventSource":"${source}"}`);
      return `{${fields.sort(() => random() - 0.5).join(",")}}`;
    });
    const bytes = encoder.encode(elements.join(","));
    assertConditional(bytes, elements.join(","));
    // Per record: one that names neither the text nor a \u escape loses the key, whatever its neighbours hold.
    const slim = conditional.read(bytes)!;
    elements.forEach((element, i) => {
      if (element.includes("apigateway") || element.includes("\\u")) return;
      assert.equal(Object.hasOwn(slim.records[i] as object, "requestParameters"), false, element);
    });
  }
});

Deno.test("slim records: conditional keys dropped per record, wherever they stand among the others", () => {
  const read = (...records: string[]) => conditional.read(encoder.encode(records.join(",")))?.records;
  assert.deepEqual(read('{"requestParameters":1,"eventName":"x"}', '{"eventName":"y","requestParameters":2}'), [
    { eventName: "x" },
    { eventName: "y" },
  ]);
  assert.deepEqual(read('{"requestParameters":1}', '{"requestParameters":{"a":[1]},"requestParameters":2}'), [{}, {}]);
  assert.deepEqual(
    read('{"eventSource":"apigateway.amazonaws.com","requestParameters":1}', '{"requestParameters":2,"eventName":"z"}'),
    [{ eventSource: "apigateway.amazonaws.com", requestParameters: 1 }, { eventName: "z" }],
  );
  // More conditional members than the scanner tracks: all kept (the last wins, as in JSON.parse).
  const many = `{${Array.from({ length: 20 }, (_, i) => `"requestParameters":${i}`).join(",")},"eventName":"m"}`;
  assert.deepEqual(read(many), [{ requestParameters: 19, eventName: "m" }]);
});
