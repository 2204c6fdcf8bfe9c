/**
 * The sync step archives only records that are valid JSON, byte for byte where it copies them,
 * and skips (and counts) only the record it cannot read back, never the whole file.
 */
import assert from "node:assert/strict";
import { total } from "../../src/core/util/counts.ts";
import { MAX_RECORD_DEPTH } from "../../src/core/records/record_scan.ts";
import type { SyncOut } from "../../src/core/sync/sync_partition.ts";
import { syncStep } from "../../src/steps/sync_step.ts";

const encoder = new TextEncoder();

/** A CloudTrail record's text as CloudTrail lays it out (compact). */
const good = (id: string) =>
  JSON.stringify({
    eventVersion: "1.08",
    eventID: id,
    eventTime: "2024-03-01T10:00:00Z",
    awsRegion: "eu-west-1",
    recipientAccountId: "111122223333",
    requestParameters: { n: 1, list: [1, "x", null, { a: true }] },
  }).replace('"n":1', '"n":1.0'); // a literal JSON.stringify would not write

function apply(text: string) {
  const bytes = encoder.encode(text);
  return syncStep.apply({ text, format: "records", bytes }, {});
}

/** The archived lines of a step result, each checked to be JSON. */
function lines(out: SyncOut): string[] {
  return out.partitions.flatMap((p) => {
    const text = new TextDecoder().decode(p.bytes);
    const all = text.split("\n").slice(0, -1);
    assert.equal(all.length, p.keys.length);
    for (const line of all) JSON.parse(line);
    return all;
  });
}

Deno.test("sync step: a structurally broken document that still gunzips is never archived as it is", () => {
  const broken = [
    '{"eventVersion":"1.08","eventID":"b","a":"x" "y"}',
    '{"eventVersion":"1.08","eventID":"b","a":1,,"c":2}',
    '{"eventVersion":"1.08","eventID":"b","a":}',
    '{"eventVersion":"1.08","eventID":"b","a":[1 2]}',
    '{"eventVersion":"1.08","eventID":"b","a":{"k"}}',
    '{"eventVersion":"1.08","eventID":"b","a":1,}',
    '{"eventVersion":"1.08","eventID":"b","a":"tab\there"}',
    '{"eventVersion":"1.08","eventID":"b","a":"nul\u0000here"}',
    String.raw`{"eventVersion":"1.08","eventID":"b","a":"bad \x escape"}`,
    String.raw`{"eventVersion":"1.08","eventID":"b","a":"bad \u12 escape"}`,
  ];
  for (const record of broken) {
    const text = `{"Records":[${good("g1")},${record},${good("g2")}]}`;
    assert.throws(() => JSON.parse(text), SyntaxError, record);
    const result = apply(text);
    assert.ok(!result.ok, `${record}: archived ${result.ok ? lines(result.out).join("\n") : ""}`);
    assert.equal(result.issue, "invalid JSON");
  }
});

Deno.test("sync step: a record nested too deeply is skipped and counted; the file's other records are archived", () => {
  const deep = (depth: number) =>
    `{"eventVersion":"1.08","eventID":"deep","a":${"[".repeat(depth)}${"]".repeat(depth)}}`;
  for (const depth of [MAX_RECORD_DEPTH, 100_000]) {
    // As CloudTrail lays a file out (the copying path), and with line breaks (the path that parses every record).
    for (const sep of [",", ",\n  "]) {
      const text = `{"Records":[${good("g1")}${sep}${deep(depth)}${sep}${good("g2")}${sep}5]}`;
      const result = apply(text);
      assert.ok(result.ok, `${depth} ${JSON.stringify(sep)}: ${JSON.stringify(result)}`);
      assert.equal(result.out.records, 4);
      assert.deepEqual(result.skipped, {
        [`nested too deeply (over ${MAX_RECORD_DEPTH} levels)`]: 1,
        "not an object": 1,
      });
      assert.equal(lines(result.out).length + total(result.skipped), 4);
      assert.deepEqual(lines(result.out).map((l) => JSON.parse(l).eventID), ["g1", "g2"]);
      // Numbers as written (1.0 stays 1.0) on both paths.
      for (const line of lines(result.out)) assert.ok(line.includes('"n":1.0'), line);
    }
  }
  // Just under the limit: archived.
  const text = `{"Records":[${good("g1")},\n${deep(MAX_RECORD_DEPTH - 1)}]}`;
  const result = apply(text);
  assert.ok(result.ok);
  assert.equal(lines(result.out).length, 2);
});

Deno.test("sync step: the last of two Records keys counts, as in JSON.parse, on the path that parses", () => {
  const text = `{"Records":[${good("old")}],\n"Records":[${good("new")}]}`;
  const result = apply(text);
  assert.ok(result.ok);
  assert.deepEqual(lines(result.out).map((l) => JSON.parse(l).eventID), ["new"]);
});
