import assert from "node:assert/strict";
import { checkPolicy } from "../../../src/core/policy/policy_check.ts";
import { iamLevels } from "../../../src/core/policy/iam_levels.ts";
import { ObservedCalls } from "../../../src/core/policy/observed_calls.ts";

Deno.test("checkPolicy: calls in any order give one report, denied calls sorted by action then resource", () => {
  const policy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "ec2:DescribeInstances"], Resource: "*" }],
  };
  const observed = new ObservedCalls();
  observed.add(["sqs:SendMessage"], ["arn:aws:sqs:eu-west-1:111122223333:b", "arn:aws:sqs:eu-west-1:111122223333:a"]);
  observed.add(["s3:GetObject"], ["arn:aws:s3:::b/k"]);
  observed.add(["iam:PassRole", "ec2:RunInstances"], ["*"]);
  observed.add(["sqs:SendMessage"], ["arn:aws:sqs:eu-west-1:111122223333:a"]);
  const sorted = checkPolicy(policy, observed.calls(), iamLevels);
  const unsorted = checkPolicy(policy, observed.unsorted(), iamLevels);
  assert.deepEqual(unsorted, sorted);
  assert.deepEqual(unsorted.denied.map((d) => `${d.action} ${d.resource} ${d.count}`), [
    "ec2:RunInstances * 1",
    "iam:PassRole * 1",
    "sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:a 2",
    "sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:b 1",
  ]);
  assert.equal(unsorted.calls, 5);
  assert.deepEqual(unsorted.unused.map((u) => u.action), ["ec2:DescribeInstances"]);
});

Deno.test("checkPolicy: an unused pattern with a second colon grants no action, with or without wildcards", () => {
  const patterns = ["s3:GetObject:x", "s3:Get*:x", "s3:GetObjec?:*", "s3:*:*", "s3:GetObject"];
  const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: patterns, Resource: "*" }] };
  const check = checkPolicy(policy, [], iamLevels);
  assert.deepEqual(check.unused.map((u) => [u.action, u.grants, u.levels]), [
    ["s3:GetObject:x", 0, []],
    ["s3:Get*:x", 0, []],
    ["s3:GetObjec?:*", 0, []],
    ["s3:*:*", 0, []],
    ["s3:GetObject", 1, ["Read"]],
  ]);
});
