/**
 * The scanner's repeats (`SlimRecords` with a repeat key): a record reduced to the same text as one read before is
 * given as that record's number only. Read back through the numbers, every chunk must hold exactly the records the
 * whole parse reads, and a number must only ever name a record given since numbering last began: after a chunk that
 * did not scan, after another reader used the table, after `close`, and across the table's growth in place.
 */
import assert from "node:assert/strict";
import { eachScanned, type SlimChunk, SlimRecords } from "../../../src/core/records/slim_records.ts";
import { seededRandom } from "../../helpers/hostile_records.ts";
import { sipHashFirstHalf } from "../../helpers/sip_hash.ts";

const KEYS = ["eventSource", "eventName", "requestParameters"];
const FIELDS = { keys: KEYS };
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const key = () => crypto.getRandomValues(new Uint32Array(4));

function reduce(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => KEYS.includes(k)));
}

function wholeParse(bytes: Uint8Array): unknown[] | undefined {
  try {
    return (JSON.parse(`[${decoder.decode(bytes)}]`) as unknown[]).map(reduce);
  } catch {
    return undefined;
  }
}

/** A reader's numbers as the caller keeps them: what each names, forgotten when numbering begins again. */
class Numbers {
  readonly named = new Map<number, unknown>();
  repeats = 0;
  unnumbered = 0;

  /** The chunk's records with each repeat replaced by the record its number names; fails on a number not given. */
  expand(chunk: SlimChunk): unknown[] {
    const out: unknown[] = [];
    eachScanned(chunk, (raw, id) => {
      if (id === undefined) this.unnumbered++;
      else {
        assert.ok(id === 0 || this.named.has(id - 1), `numbers are given in order (${id})`);
        if (id === 0) this.named.clear(); // numbering began again
        this.named.set(id, raw);
      }
      out.push(reduce(raw));
    }, (id) => {
      assert.ok(this.named.has(id), `a repeat names a record given since numbering began (${id})`);
      this.repeats++;
      out.push(reduce(this.named.get(id)));
    });
    return out;
  }
}

/** A record of random shape with wanted keys (a few distinct ones, so that they repeat), and keys that are dropped. */
function randomRecord(random: () => number, distinct: number): string {
  const n = Math.floor(random() * distinct);
  const unwanted = `"eventTime":"2024-01-01T00:00:${String(Math.floor(random() * 60)).padStart(2, "0")}Z"`;
  const shapes = [
    `{"eventSource":"s3.amazonaws.com","eventName":"GetObject","requestParameters":{"bucketName":"b${n}"},${unwanted}}`,
    `{${unwanted}, "eventName":"PutItem","eventSource":"dynamodb.amazonaws.com","requestParameters":{"tableName":"t${n}"}}`,
    `{"eventSource":"iam.amazonaws.com","eventName":"GetRole${n % 3 ? "" : "\\u0041"}"}`,
    `{"eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity", "requestParameters": null}`,
    `{"eventName":"Describe${n}"}`,
    pickNonObject(n),
  ];
  return shapes[Math.floor(random() * shapes.length)]!;
}

function pickNonObject(n: number): string {
  return ["1", '"text"', "null", "[1,2]", `{"eventName":"x"}`][n % 5]!;
}

Deno.test("repeats: 3,000 random chunks read back through the numbers are the records the whole parse reads", () => {
  const random = seededRandom(7);
  const reader = new SlimRecords(FIELDS, { repeatKey: key() });
  const numbers = new Numbers();
  let failed = 0;
  for (let i = 0; i < 3000; i++) {
    const count = 1 + Math.floor(random() * 30);
    let text = Array.from({ length: count }, () => randomRecord(random, 40)).join(random() < 0.5 ? "," : ",\n ");
    if (random() < 0.05) text = text.replace(/,([^,]*)$/, ",,$1"); // does not scan: numbering begins again
    const bytes = encoder.encode(text);
    const chunk = reader.read(bytes);
    const whole = wholeParse(bytes);
    assert.equal(chunk !== undefined, whole !== undefined, text);
    if (!chunk) {
      failed++;
      continue;
    }
    assert.deepEqual(numbers.expand(chunk), whole, text);
    assert.equal(chunk.side!.length, whole!.length);
  }
  assert.ok(failed > 50, `some chunks did not scan (${failed})`);
  assert.ok(numbers.repeats > 20_000, `many records were repeats (${numbers.repeats})`);
});

/** `count` distinct records (by number), as a chunk of elements. */
function distinctChunk(numbers: readonly number[]): Uint8Array {
  return encoder.encode(
    numbers.map((n) => `{"eventName":"Call${n}","eventSource":"x.amazonaws.com","z":${n}}`).join(","),
  );
}

Deno.test("repeats: 40,000 distinct records, then all of them again: each is known by its first number after growth", () => {
  for (const seed of [1, 2, 3]) {
    const random = seededRandom(seed);
    const reader = new SlimRecords(FIELDS, { repeatKey: key() });
    const numberOf = new Map<number, number>();
    const all = Array.from({ length: 40_000 }, (_, i) => i);
    for (let i = 0; i < all.length; i += 40) {
      const chunk = reader.read(distinctChunk(all.slice(i, i + 40)))!;
      chunk.side!.forEach((k, j) => {
        assert.ok(k >= 0 && (k & 1) === 0, "new records get numbers");
        numberOf.set(all[i + j]!, k >> 1);
      });
    }
    // The table grew in place from 4,096 slots to 65,536; shuffled, so that every slot's neighbourhood is asked.
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    for (let i = 0; i < all.length; i += 50) {
      const chunk = reader.read(distinctChunk(all.slice(i, i + 50)))!;
      assert.equal(chunk.records.length, 0, "nothing new");
      chunk.side!.forEach((k, j) => assert.equal(k, 2 * numberOf.get(all[i + j]!)! + 1, `record ${all[i + j]}`));
    }
  }
});

Deno.test("repeats: a chunk with more new records than the table takes gives the rest without a number", () => {
  const reader = new SlimRecords(FIELDS, { repeatKey: key() });
  // Closed while it owns the table: the next read starts a new one at its first size (4,096 slots).
  reader.read(distinctChunk([0]));
  reader.close();
  const numbers = new Numbers();
  const many = Array.from({ length: 5000 }, (_, i) => i);
  const first = reader.read(distinctChunk(many))!;
  assert.deepEqual(numbers.expand(first), wholeParse(distinctChunk(many)));
  const unnumbered = first.side!.filter((k) => k === -1).length;
  assert.ok(
    unnumbered > 0 && unnumbered < 5000,
    `past the table's limit, records come without numbers (${unnumbered})`,
  );
  // Read again: those with numbers are repeats; the others are new again (now numbered, the table having grown).
  const again = reader.read(distinctChunk(many))!;
  assert.deepEqual(numbers.expand(again), wholeParse(distinctChunk(many)));
  assert.equal(again.side!.filter((k) => k >= 0 && (k & 1) === 1).length, 5000 - unnumbered);
});

Deno.test("repeats: readers that take turns (with and without repeats) and close: numbers never cross", () => {
  const random = seededRandom(11);
  const readers = [0, 1, 2].map(() => ({
    reader: new SlimRecords(FIELDS, { repeatKey: key() }),
    numbers: new Numbers(),
  }));
  const plain = new SlimRecords(FIELDS);
  for (let i = 0; i < 600; i++) {
    const text = Array.from({ length: 1 + Math.floor(random() * 10) }, () => randomRecord(random, 8)).join(",");
    const bytes = encoder.encode(text);
    const pick = Math.floor(random() * 4);
    if (pick === 3) {
      assert.deepEqual(plain.read(bytes)!.records.map(reduce), wholeParse(bytes));
      assert.equal(plain.read(bytes)!.side, undefined);
      continue;
    }
    const { reader, numbers } = readers[pick]!;
    if (random() < 0.05) reader.close();
    assert.deepEqual(numbers.expand(reader.read(bytes)!), wholeParse(bytes), text);
  }
  assert.ok(readers.every(({ numbers }) => numbers.repeats > 100), "each reader saw repeats of its own records");
});

Deno.test("repeats: the repeat key must be four words", () => {
  assert.throws(() => new SlimRecords(FIELDS, { repeatKey: new Uint32Array(2) }), /4 words/);
});

Deno.test("repeats: the table grows in place with runs of full slots that wrap around its end", () => {
  const repeatKey = new Uint32Array([0x01234567, 0x89abcdef, 0xdeadbeef, 0x0badf00d]);
  const reader = new SlimRecords(FIELDS, { repeatKey });
  reader.read(distinctChunk([0]));
  reader.close(); // the next read starts a table of 4,096 slots
  const text = (n: number) => `{"eventName":"Call${n}","eventSource":"x.amazonaws.com"}`; // as reduced
  const home = (n: number) => Number(sipHashFirstHalf(encoder.encode(text(n)), repeatKey) & 4095n);
  // Records at home in the table's last slots (a run that wraps into slot 0 and on) and its first ones, and others:
  // 3,100 in all, past 3/4 of 4,096, so that the table doubles after the chunk.
  const chosen: number[] = [];
  let atEnd = 0, atStart = 0;
  for (let n = 0; chosen.length < 3100; n++) {
    const h = home(n);
    if (h >= 4088 && atEnd < 24) atEnd++, chosen.push(n);
    else if (h <= 6 && atStart < 12) atStart++, chosen.push(n);
    else if (h > 6 && h < 4088 && chosen.length < 3100 - (24 - atEnd) - (12 - atStart)) chosen.push(n);
  }
  assert.ok(atEnd === 24 && atStart === 12, "records found for both ends");
  const numberOf = new Map<number, number>();
  const first = reader.read(distinctChunk(chosen))!;
  first.side!.forEach((k, j) => {
    assert.ok(k >= 0 && (k & 1) === 0, "each gets a number");
    numberOf.set(chosen[j]!, k >> 1);
  });
  const again = reader.read(distinctChunk(chosen))!;
  assert.equal(again.records.length, 0, "after growing, every record is known");
  again.side!.forEach((k, j) => assert.equal(k, 2 * numberOf.get(chosen[j]!)! + 1));
});

Deno.test("repeats: past 1 MiB the table grows only while one record in eight or more is a repeat", () => {
  const unnumbered = (numbers: number[], twice: boolean) => {
    const reader = new SlimRecords(FIELDS, { repeatKey: key() });
    reader.read(distinctChunk([0]));
    reader.close(); // a new table, at its first size
    let n = 0;
    for (let i = 0; i < numbers.length; i += 100) {
      const part = numbers.slice(i, i + 100);
      const chunk = reader.read(distinctChunk(twice ? part.flatMap((x) => [x, x]) : part))!;
      n += chunk.side!.filter((k) => k === -1).length;
    }
    reader.close();
    return n;
  };
  const records = Array.from({ length: 70_000 }, (_, i) => i);
  // Each record twice (half are repeats): the table grows past 65,536 slots, every record gets a number.
  assert.equal(unnumbered(records, true), 0);
  // No repeats: the table stops at 65,536 slots (7/8 of them: 57,344 records); the rest come without a number.
  assert.equal(unnumbered(records, false), 70_000 - 57_344);
});

Deno.test("repeats: numbering begins again in a table of the first size (clearing costs what it holds, not its peak)", () => {
  const reader = new SlimRecords(FIELDS, { repeatKey: key() });
  reader.read(distinctChunk([0]));
  reader.close(); // the next read starts a table of 4,096 slots
  // 40,000 distinct records: the table grows to 65,536 slots.
  for (let i = 0; i < 40_000; i += 2000) reader.read(distinctChunk(Array.from({ length: 2000 }, (_, j) => i + j)));
  // Hostile input can follow each chunk with one that does not scan: were the grown table cleared each time, every
  // such pair would cost its whole size (a 32 MiB fill at the largest: ~7 ms for a 64 KiB chunk).
  assert.equal(reader.read(encoder.encode(`{"eventName":"x"},,{}`)), undefined);
  const many = Array.from({ length: 5000 }, (_, i) => 100_000 + i);
  const numbers = new Numbers();
  const chunk = reader.read(distinctChunk(many))!;
  assert.deepEqual(numbers.expand(chunk), wholeParse(distinctChunk(many)));
  const unnumbered = chunk.side!.filter((k) => k === -1).length;
  assert.ok(
    unnumbered > 0 && unnumbered < 5000,
    `a table of 4,096 slots numbers at most 3,584 (${unnumbered} without)`,
  );
});
