import assert from "node:assert/strict";
import {
  jsonStringsValid,
  MAX_RECORD_DEPTH,
  type ScannedRecord,
  scanRecord,
  TOO_DEEP,
} from "../../../src/core/records/record_scan.ts";
import { archivePartitionOf, dedupKey } from "../../../src/core/sync/sync_partition.ts";

const whole = (text: string) => scanRecord(text, 0, text.length);
const record = (text: string) => whole(text) as ScannedRecord;

Deno.test("scanRecord() places and keys a record exactly as JSON.parse would", () => {
  const records: unknown[] = [
    {
      eventVersion: "1.08",
      eventID: "e1",
      recipientAccountId: "111122223333",
      awsRegion: "eu-west-1",
      eventTime: "2024-03-01T10:00:00Z",
    },
    {
      eventVersion: "1.08",
      userIdentity: { type: "X", accountId: "444455556666", sessionContext: { a: [1, { accountId: "no" }] } },
      awsRegion: "us-east-1",
      eventTime: "2024-03-02T00:00:00Z",
    },
    { eventVersion: "1", recipientAccountId: null, userIdentity: { accountId: "444455556666" }, eventID: "" },
    { eventVersion: "1", recipientAccountId: 5, awsRegion: ["eu-west-1"], eventTime: 17, eventID: 9 },
    {
      eventVersion: "1",
      requestParameters: { eventID: "nested", awsRegion: "x" },
      eventID: "top",
      awsRegion: "sa-east-1",
    },
    {
      eventVersion: "1",
      eventID: 'e"q\\u00e9\n',
      awsRegion: "eu-west-1",
      note: '},{"eventVersion":',
      n: -1.5e+3,
      t: true,
      f: false,
      z: null,
    },
    { eventVersion: "1", userIdentity: "not an object", recipientAccountId: "1", eventID: "dup", eventID2: "x" },
  ];
  for (const r of records) {
    const text = JSON.stringify(r);
    const scanned = record(text);
    assert.ok(scanned, text);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    assert.equal(archivePartitionOf(scanned), archivePartitionOf(parsed), text);
    assert.equal(dedupKey(scanned, text), dedupKey(parsed, text), text);
  }
  // A repeated key: the last one counts, as in JSON.parse.
  assert.equal(dedupKey(record('{"eventID":"a","eventID":"b"}'), ""), "b");
});

Deno.test("scanRecord() refuses what is not one JSON object: cut, unbalanced, trailing text, garbage, not an object", () => {
  for (
    const text of [
      '{"eventVersion":"1","a":{"b":1}',
      '{"eventVersion":"1"},{"eventVersion":"2"}',
      '{"eventVersion":"1","a":[1,2}',
      '{"eventVersion":"1","a":"unterminated}',
      '{"eventVersion":"1","a":nul}',
      '{"eventVersion":"1","a":01x}',
      '{"eventVersion":"1","a":@}',
      '{"eventVersion" "1"}',
      "5",
      "[1]",
      '"str"',
      "",
    ]
  ) assert.equal(whole(text), undefined, text);
  // A slice of a longer text: only [start, end) is read.
  const text = 'xx{"eventID":"e"}yy';
  assert.deepEqual(scanRecord(text, 2, text.length - 2), { eventID: "e" });
});

Deno.test("scanRecord() refuses a structurally broken object: commas and colons missing, doubled or out of place", () => {
  for (
    const text of [
      '{"eventVersion":"1","a":"x" "y"}',
      '{"eventVersion":"1","a":1,,"b":2}',
      '{"eventVersion":"1","a":}',
      '{"eventVersion":"1","a":1,}',
      '{,"eventVersion":"1"}',
      '{"eventVersion":"1","a":[1 2]}',
      '{"eventVersion":"1","a":[1,]}',
      '{"eventVersion":"1","a":[,1]}',
      '{"eventVersion":"1","a":{"b"}}',
      '{"eventVersion":"1","a":{"b":1 "c":2}}',
      '{"eventVersion":"1","a":[1]"b":2}',
      '{"eventVersion":"1","a":{}{}}',
      '{"eventVersion":"1","a":[{"k":1}:2]}',
      '{"eventVersion":"1","eventID":"e"true}',
    ]
  ) {
    assert.throws(() => JSON.parse(text), SyntaxError, text);
    assert.equal(whole(text), undefined, text);
  }
  for (const text of ['{"a":[],"b":{},"c":[[],{}],"d":[1,"x",null,{"e":[true,false]}]}', '{ "a" : 1 , "b" : [ ] }']) {
    assert.ok(whole(text), text);
  }
});

Deno.test("scanRecord() says TOO_DEEP past MAX_RECORD_DEPTH levels, at any depth without recursion", () => {
  const nested = (depth: number) => '{"eventID":"e","a":' + "[".repeat(depth) + "]".repeat(depth) + "}";
  assert.deepEqual(whole(nested(MAX_RECORD_DEPTH - 1)), { eventID: "e" });
  assert.equal(whole(nested(MAX_RECORD_DEPTH)), TOO_DEEP);
  assert.equal(whole(nested(100_000)), TOO_DEEP);
});

Deno.test("jsonStringsValid() refuses raw control characters and invalid escapes, takes every valid escape", () => {
  const valid = [String.raw`{"a":"x\u0000y"}`, String.raw`{"a":"\\\"\/\b\f\n\r\t\u00e9"}`, String.raw`{"a":"\\\\x"}`];
  for (const text of valid) {
    JSON.parse(text);
    assert.ok(jsonStringsValid(text), text);
  }
  const invalid = [
    '{"a":"x\ty"}', // a raw tab
    '{"a":"x\u0000y"}', // a raw NUL
    '{"a":"x\u001fy"}',
    String.raw`{"a":"\x"}`,
    String.raw`{"a":"\u12"}`,
    String.raw`{"a":"\\\x"}`,
    String.raw`{"a":"\0"}`,
  ];
  for (const text of invalid) {
    assert.throws(() => JSON.parse(text), SyntaxError, text);
    assert.equal(jsonStringsValid(text), false, text);
  }
});
