import assert from "node:assert/strict";
import { parseEventTime } from "../../../src/core/records/record.ts";

Deno.test("parseEventTime() reads CloudTrail's UTC times, with or without a fraction", () => {
  assert.equal(parseEventTime("2024-03-01T10:01:02Z"), Date.UTC(2024, 2, 1, 10, 1, 2));
  assert.equal(parseEventTime("2024-03-01T10:01:02.5Z"), Date.UTC(2024, 2, 1, 10, 1, 2, 500));
  assert.equal(parseEventTime("2024-02-29T23:59:59Z"), Date.UTC(2024, 1, 29, 23, 59, 59));
  assert.equal(parseEventTime("9999-12-31T23:59:59Z"), Date.UTC(9999, 11, 31, 23, 59, 59));
});

Deno.test("parseEventTime() refuses a time that is not on the calendar instead of rolling it into another", () => {
  // Date.UTC rolls each of these over into a real time the record never named (Feb 30 -> Mar 1).
  for (const bad of ["2024-02-30T10:01:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z"]) {
    assert.equal(parseEventTime(bad), undefined, bad);
  }
  for (const bad of ["2024-03-01T24:00:00Z", "2024-03-01T10:60:00Z", "2024-03-01T10:01:60Z", "2024-04-31T00:00:00Z"]) {
    assert.equal(parseEventTime(bad), undefined, bad);
  }
});

Deno.test("parseEventTime() keeps years 0000-0099 as written (Date.UTC reads them as 1900-1999)", () => {
  const year = (text: string) => new Date(parseEventTime(text)!).getUTCFullYear();
  assert.equal(year("0099-06-01T00:00:00Z"), 99);
  assert.equal(year("0000-01-01T00:00:00Z"), 0);
  assert.ok(parseEventTime("0024-03-01T10:00:00Z")! < Date.UTC(1000, 0, 1));
});
