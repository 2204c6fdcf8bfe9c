import assert from "node:assert/strict";
import { ObservedCalls } from "../../../src/core/policy/observed_calls.ts";

Deno.test("ObservedCalls: counts per pair, sorted by action then resource, and the same after a trip between threads", () => {
  const calls = new ObservedCalls();
  calls.add(["s3:PutObject", "s3:GetObject"], ["arn:aws:s3:::b/2", "arn:aws:s3:::b/1"]);
  calls.add(["s3:GetObject"], ["arn:aws:s3:::b/1"]);
  calls.add(["s3:GetObject"], ["arn:aws:s3:::line\nbreak"]); // a hostile record's resource: kept whole
  const expected = [
    { action: "s3:GetObject", resource: "arn:aws:s3:::b/1", count: 2 },
    { action: "s3:GetObject", resource: "arn:aws:s3:::b/2", count: 1 },
    { action: "s3:GetObject", resource: "arn:aws:s3:::line\nbreak", count: 1 },
    { action: "s3:PutObject", resource: "arn:aws:s3:::b/1", count: 1 },
    { action: "s3:PutObject", resource: "arn:aws:s3:::b/2", count: 1 },
  ];
  assert.deepEqual(calls.calls(), expected);
  const copy = new ObservedCalls();
  copy.addEntries(structuredClone(calls.entries()));
  copy.addEntries(structuredClone(calls.entries()));
  assert.deepEqual(copy.calls(), expected.map((c) => ({ ...c, count: c.count * 2 })));
});
