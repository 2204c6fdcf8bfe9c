import assert from "node:assert/strict";
import { ObservedCalls } from "../../src/core/policy/observed_calls.ts";

Deno.test("ObservedCalls: calls come back counted and sorted by action, then resource", () => {
  const observed = new ObservedCalls();
  observed.add(["s3:PutObject", "s3:GetObject"], ["arn:aws:s3:::b/k", "*"]);
  observed.add(["s3:GetObject"], ["*"]);
  assert.deepEqual(observed.calls(), [
    { action: "s3:GetObject", resource: "*", count: 2 },
    { action: "s3:GetObject", resource: "arn:aws:s3:::b/k", count: 1 },
    { action: "s3:PutObject", resource: "*", count: 1 },
    { action: "s3:PutObject", resource: "arn:aws:s3:::b/k", count: 1 },
  ]);
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
