import assert from "node:assert/strict";
import { parseTimeExpression } from "../../../src/core/util/time_expression.ts";

const now = Date.UTC(2024, 2, 10, 12, 30, 0);
const iso = (text: string) => {
  const t = parseTimeExpression(text, now);
  return t === undefined ? undefined : new Date(t).toISOString();
};

Deno.test("parseTimeExpression() reads absolute dates and timestamps in UTC", () => {
  assert.equal(iso("2017-01-01"), "2017-01-01T00:00:00.000Z");
  assert.equal(iso("2024-03-01T09:40:00Z"), "2024-03-01T09:40:00.000Z");
  assert.equal(iso("2024-03-01T09:40:00.250Z"), "2024-03-01T09:40:00.250Z");
  assert.equal(iso("2024-03-01T11:40:00+02:00"), "2024-03-01T09:40:00.000Z");
  assert.equal(iso("2024-03-01T04:10:00-0530"), "2024-03-01T09:40:00.000Z");
  assert.equal(iso("2024-03-01 09:40"), "2024-03-01T09:40:00.000Z");
  assert.equal(iso("1709286000"), "2024-03-01T09:40:00.000Z");
  assert.equal(iso("March 1, 2024 21:00"), "2024-03-01T21:00:00.000Z");
});

Deno.test("parseTimeExpression() reads human expressions relative to now", () => {
  assert.equal(iso("now"), "2024-03-10T12:30:00.000Z");
  assert.equal(iso("one hour ago"), "2024-03-10T11:30:00.000Z");
  assert.equal(iso("two days ago"), "2024-03-08T12:30:00.000Z");
  assert.equal(iso("-1days"), "2024-03-09T12:30:00.000Z");
  assert.equal(iso("1 week ago"), "2024-03-03T12:30:00.000Z");
  assert.equal(iso("yesterday"), "2024-03-09T12:30:00.000Z");
});

Deno.test("parseTimeExpression() rejects what is not a time", () => {
  for (const text of ["not a date", "", "2024-02-30", "2024-13-01", "2024-03-01 25:00", "foo 2024-03-01", "12"]) {
    assert.equal(parseTimeExpression(text, now), undefined, text);
  }
});

Deno.test("parseTimeExpression() reads a date written in words or slashes as midnight UTC, like 2024-03-01", () => {
  // chrono implies noon for a date without a time: --from "Mar 1 2024" would miss the morning's events.
  assert.equal(iso("Mar 1 2024"), "2024-03-01T00:00:00.000Z");
  assert.equal(iso("1 March 2024"), "2024-03-01T00:00:00.000Z");
  assert.equal(iso("3/1/2024"), "2024-03-01T00:00:00.000Z");
  assert.equal(iso("March 2024"), "2024-03-01T00:00:00.000Z");
  // A time of day given, or a time relative to now, stays as it is.
  assert.equal(iso("March 1, 2024 12:00"), "2024-03-01T12:00:00.000Z");
  assert.equal(iso("noon yesterday"), "2024-03-09T12:00:00.000Z");
  assert.equal(iso("tomorrow"), "2024-03-11T12:30:00.000Z");
});

Deno.test("parseTimeExpression() refuses an offset that is no time zone (+25:00, +05:99)", () => {
  for (const text of ["2024-03-01T09:40:00+25:00", "2024-03-01T09:40:00+05:99", "2024-03-01T09:40:00-9999"]) {
    assert.equal(parseTimeExpression(text, now), undefined, text);
  }
  assert.equal(iso("2024-03-01T23:40:00+14:00"), "2024-03-01T09:40:00.000Z");
});
