import assert from "node:assert/strict";
import { recordTouches } from "../../../src/core/changes/change_filter.ts";

Deno.test("recordTouches(): an id as a string value of the request, the response or resources[], exactly", () => {
  const raw = {
    requestParameters: { groupId: "sg-1", ipPermissions: { items: [{ groups: { items: [{ groupId: "sg-2" }] } }] } },
    responseElements: { instancesSet: { items: [{ instanceId: "i-1" }] } },
    resources: [{ ARN: "arn:aws:ec2:us-east-1:111122223333:instance/i-9" }],
    userIdentity: { arn: "sg-3" },
  };
  for (const id of ["sg-1", "sg-2", "i-1", "arn:aws:ec2:us-east-1:111122223333:instance/i-9"]) {
    assert.ok(recordTouches(raw, [id]), id);
  }
  for (const id of ["sg-3", "sg", "groupId", "i-9"]) assert.ok(!recordTouches(raw, [id]), id);
  assert.ok(recordTouches(raw, []), "no resource asked keeps every record");
  assert.ok(recordTouches(raw, ["nothing", "i-1"]), "any of several");
});

Deno.test("recordTouches(): a 100,000-deep request is searched to a bounded depth, without recursion", () => {
  let deep: Record<string, unknown> = { id: "bottom" };
  for (let i = 0; i < 100_000; i++) deep = { next: deep };
  assert.equal(recordTouches({ requestParameters: { id: "top", deep } }, ["bottom"]), false);
  assert.equal(recordTouches({ requestParameters: { id: "top", deep } }, ["top"]), true);
});
