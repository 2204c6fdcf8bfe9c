import assert from "node:assert/strict";
import { cachedCallGrants, recordGrant } from "../../../src/core/iam/record_grant.ts";
import { parseRecord } from "../../../src/core/records/record.ts";

const grantOf = (raw: Record<string, unknown>) => {
  const parsed = parseRecord(raw, false);
  assert.ok(parsed.ok);
  return recordGrant(parsed.record);
};

Deno.test("recordGrant: each record of a call gets its own lists (the call's are worked out once and shared)", () => {
  const call = { eventSource: "s3.amazonaws.com", eventName: "GetObject" };
  const first = grantOf({ ...call, resources: [{ ARN: "arn:aws:s3:::b/k" }] });
  assert.ok(first.kind === "grant");
  assert.deepEqual(first.actions, ["s3:GetObject"]);
  first.actions.push("s3:PutObject"); // a caller that changes its grant changes nothing for the next record
  first.unknown.push("x:Y");
  const second = grantOf(call);
  assert.ok(second.kind === "grant");
  assert.deepEqual([second.actions, second.unknown, second.resources], [["s3:GetObject"], [], ["*"]]);
});

Deno.test("recordGrant: ignored calls and types, unknown actions and API Gateway's per-record grant as before, past the cache's bound", () => {
  // More distinct calls than the cache holds (it is emptied when full): every answer still comes from the call.
  for (let i = 0; i < 17_000; i++) {
    const grant = grantOf({ eventSource: "s3.amazonaws.com", eventName: `NoSuchCall${i}` });
    assert.ok(grant.kind === "grant");
    assert.deepEqual(grant.unknown, [`s3:NoSuchCall${i}`]);
  }
  assert.deepEqual(grantOf({ eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity" }), {
    kind: "ignored",
    reason: "sts:GetCallerIdentity",
  });
  assert.deepEqual(grantOf({ eventSource: "s3.amazonaws.com", eventName: "GetObject", eventType: "AwsServiceEvent" }), {
    kind: "ignored",
    reason: "AwsServiceEvent",
  });
  // GetStages is in API Gateway v1 and v2: the request's parameters pick the binding, record by record.
  const api = (requestParameters: Record<string, string>) =>
    grantOf({ eventSource: "apigateway.amazonaws.com", eventName: "GetStages", requestParameters });
  const [v1, v2] = [api({ restApiId: "abc123" }), api({ apiId: "abc123" })];
  assert.ok(v1.kind === "grant" && v2.kind === "grant");
  assert.deepEqual([v1.resources, v2.resources], [["arn:aws:apigateway:*::/restapis/*/stages"], [
    "arn:aws:apigateway:*::/apis/*/stages",
  ]]);
});

Deno.test("recordGrant: an event source or name that names an Object member (constructor, __proto__, toString) is a name like any other", () => {
  const plain = (action: string) => ({ kind: "grant", actions: [action], resources: ["*"], unknown: [action] });
  for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
    // Looked up in the event-name overrides, the IAM action names, API Gateway's bindings, the event source tables.
    assert.deepEqual(grantOf({ eventSource: "s3.amazonaws.com", eventName: name }), plain(`s3:${name}`));
    assert.deepEqual(
      grantOf({ eventSource: "apigateway.amazonaws.com", eventName: name }),
      plain(`apigateway:${name}`),
    );
    assert.deepEqual(
      grantOf({ eventSource: `${name}.amazonaws.com`, eventName: "Describe" }),
      plain(`${name}:Describe`),
    );
    assert.deepEqual(grantOf({ eventSource: name, eventName: "Describe" }), plain(`${name}:Describe`));
  }
});

Deno.test("the call cache keeps real names and no name longer than a real one (a long-running server stays small)", () => {
  const grantOf = (eventSource: string, eventName: string) => {
    const parsed = parseRecord({ eventSource, eventName, eventTime: "2026-01-01T00:00:00Z" }, false);
    assert.ok(parsed.ok);
    return recordGrant(parsed.record);
  };
  const before = cachedCallGrants();
  const huge = "Describe" + "X".repeat(100_000);
  for (let i = 0; i < 20; i++) {
    const grant = grantOf("ec2.amazonaws.com", huge + i);
    assert.equal(grant.kind, "grant");
    if (grant.kind === "grant") assert.deepEqual(grant.actions, [`ec2:${huge}${i}`]); // still answered, only not kept
  }
  const hugeSource = "x".repeat(100_000) + ".amazonaws.com";
  grantOf(hugeSource, "GetThing");
  assert.ok(cachedCallGrants().chars - before.chars < 1000, "no long name is kept");
  grantOf("ec2.amazonaws.com", "DescribeInstancesForCacheTest");
  assert.equal(cachedCallGrants().calls, before.calls + 1, "a real name is kept");
});
