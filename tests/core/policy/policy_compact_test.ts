import assert from "node:assert/strict";
import { iamLevels } from "../../../src/core/policy/iam_levels.ts";
import { compactPolicy } from "../../../src/core/policy/policy_compact.ts";
import type { IamLevels } from "../../../src/core/policy/policy_check.ts";
import { evaluate } from "../../../src/core/policy/policy_evaluator.ts";
import type { PolicyDocument } from "../../../src/core/policy/policy.ts";

const LEVELS: Record<string, string> = {
  "s3:GetObject": "R",
  "s3:GetObjectAcl": "R",
  "s3:GetBucketPolicy": "R",
  "s3:PutObject": "W",
  "s3:PutObjectAcl": "P",
  "s3:PutObjectTagging": "T",
  "s3:ListBucket": "L",
  "s3:ListAllMyBuckets": "L",
  "ec2:DescribeInstances": "L",
  "ec2:DescribeVolumes": "L",
  "ec2:DescribeImages": "L",
};
const iam: IamLevels = {
  actionsOf: (prefix) => Object.keys(LEVELS).filter((a) => a.startsWith(`${prefix}:`)).map((a) => a.split(":")[1]!),
  levelOf: (action) => LEVELS[action],
};
const policy = (Action: string[], Resource = ["*"]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [{ Action, Effect: "Allow", Resource }],
});

Deno.test("--compact: a wildcard only where every action it matches has a level the statement grants", () => {
  const r = compactPolicy(policy(["s3:GetObject", "s3:GetObjectAcl", "s3:PutObject", "s3:ListBucket"]), iam);
  // s3:GetObject* and s3:Get* match only Read actions (granted); of two that cover as much, the narrower wins.
  // s3:Put* would add PutObjectAcl (Permissions management).
  assert.deepEqual(r.policy.Statement[0]!.Action, ["s3:GetObject*", "s3:ListBucket", "s3:PutObject"]);
  assert.deepEqual([r.before, r.after], [4, 3]);
  // With Write, Permissions management and Tagging granted, the Put actions merge too.
  const all = compactPolicy(policy(["s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectTagging"]), iam);
  assert.deepEqual(all.policy.Statement[0]!.Action, ["s3:PutObject*"]);
  // The wider wildcard where it covers more: Get* takes GetBucketPolicy too.
  const wider = compactPolicy(policy(["s3:GetObject", "s3:GetObjectAcl", "s3:GetBucketPolicy"]), iam);
  assert.deepEqual(wider.policy.Statement[0]!.Action, ["s3:Get*"]);
  // One action is never turned into a wildcard; several services are compacted separately.
  const mixed = compactPolicy(policy(["ec2:DescribeInstances", "ec2:DescribeVolumes", "s3:GetObject"]), iam);
  assert.deepEqual(mixed.policy.Statement[0]!.Action, ["ec2:Describe*", "s3:GetObject"]);
});

Deno.test("--compact: unknown actions, existing wildcards and Deny statements are left alone", () => {
  assert.deepEqual(
    compactPolicy(policy(["s3:GetObject", "s3:GetObjectAcl", "s3:GetNothing"]), iam).policy.Statement[0]!.Action,
    ["s3:GetNothing", "s3:GetObject", "s3:GetObjectAcl"],
  );
  assert.deepEqual(
    compactPolicy(policy(["s3:Get*", "s3:GetObject"]), iam).policy.Statement[0]!.Action,
    ["s3:Get*", "s3:GetObject"],
  );
  const deny: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Action: ["s3:GetObject", "s3:GetObjectAcl"], Effect: "Deny", Resource: ["*"] }],
  };
  assert.deepEqual(compactPolicy(deny, iam).policy, deny);
});

Deno.test("--compact with the real IAM data: the compacted policy still allows every original action", () => {
  const actions = [
    "ec2:DescribeInstances",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVolumes",
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
  ];
  const { policy: compacted, after } = compactPolicy(policy(actions), iamLevels);
  assert.ok(after < actions.length, JSON.stringify(compacted));
  for (const action of actions) {
    assert.equal(evaluate(compacted, { action, resource: "arn:aws:s3:::b/k" }).decision, "allowed", action);
  }
  for (const wildcard of (compacted.Statement[0]!.Action as string[]).filter((a) => a.endsWith("*"))) {
    const [prefix = "", stem = ""] = wildcard.slice(0, -1).split(":");
    const levels = new Set(actions.filter((a) => a.startsWith(`${prefix}:`)).map((a) => iamLevels.levelOf(a)));
    for (const name of iamLevels.actionsOf(prefix).filter((n) => n.startsWith(stem))) {
      assert.ok(levels.has(iamLevels.levelOf(`${prefix}:${name}`)), `${wildcard} widens to ${name}`);
    }
  }
});
