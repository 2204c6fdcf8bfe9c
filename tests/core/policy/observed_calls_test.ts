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

Deno.test("ObservedCalls: an action or resource holding a line break, a tab or a NUL comes back whole, in order", () => {
  // A record may name any event: `s3:Get\nObject` is one action, not `s3:Get` on a resource `Object\n...`.
  const actions = ["s3:Get\nObject", "s3:Get", "s3:Get\tX", "s3:Get\0", "s3:GetObject"];
  const resources = ["arn:aws:s3:::b/k\nx", "*", "a\0b"];
  const observed = new ObservedCalls();
  observed.add(actions, resources);
  // Through another collector too (the workers' partial counts are merged this way).
  const merged = new ObservedCalls();
  merged.addEntries(observed.entries());
  const expected = actions.flatMap((action) => resources.map((resource) => ({ action, resource, count: 1 })))
    .sort((a, b) =>
      a.action !== b.action
        ? (a.action < b.action ? -1 : 1)
        : a.resource < b.resource
        ? -1
        : a.resource > b.resource
        ? 1
        : 0
    );
  assert.deepEqual(observed.calls(), expected);
  assert.deepEqual(merged.calls(), expected);
});
