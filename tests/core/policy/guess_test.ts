import assert from "node:assert/strict";
import { baseName, guessPolicy, titleCase } from "../../../src/core/policy/guess.ts";
import type { PolicyDocument } from "../../../src/core/policy/policy.ts";

function policy(...statements: PolicyDocument["Statement"]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

Deno.test("baseName() strips only a leading verb and a plural", () => {
  assert.equal(baseName("CreateListener"), "Listener");
  assert.equal(baseName("ListPolicies"), "Policy");
  assert.equal(baseName("DescribeAddresses"), "Address");
  assert.equal(baseName("GetObjectAcl"), "ObjectAcl");
  // trailscraper removed "List" anywhere in the name: GetBucketListing would become GetBucketing.
  assert.equal(baseName("PutBucketListing"), "BucketListing");
});

Deno.test("titleCase() matches Python's str.title() for verbs", () => {
  assert.deepEqual(["describe", "LIST", "gEt"].map(titleCase), ["Describe", "List", "Get"]);
});

Deno.test("guessPolicy() follows each statement with its guesses on Resource *", () => {
  const result = guessPolicy(policy({ Action: ["s3:PutObject"], Effect: "Allow", Resource: ["arn:aws:s3:::b/*"] }));
  assert.deepEqual(result.Statement, [
    { Action: ["s3:PutObject"], Effect: "Allow", Resource: ["arn:aws:s3:::b/*"] },
    { Action: ["s3:DeleteObject", "s3:GetObject"], Effect: "Allow", Resource: ["*"] },
  ]);
});

Deno.test("guessPolicy() guesses only real actions: no s3:ListObjects", () => {
  const result = guessPolicy(policy({ Action: ["s3:GetObject"], Effect: "Allow", Resource: ["*"] }));
  const guesses = result.Statement[1]?.Action as string[];
  assert.ok(!guesses.includes("s3:ListObjects"));
  assert.ok(guesses.includes("s3:PutObject"));
});

Deno.test("guessPolicy() never guesses a granted action and never repeats a guess", () => {
  const result = guessPolicy(policy(
    { Action: ["s3:GetObject", "s3:PutObject"], Effect: "Allow", Resource: ["arn:a"] },
    { Action: ["s3:GetObject"], Effect: "Allow", Resource: ["arn:b"] },
  ));
  assert.deepEqual(result.Statement.map((s) => s.Action), [
    ["s3:GetObject", "s3:PutObject"],
    ["s3:DeleteObject"],
    ["s3:GetObject"],
  ]);
});

Deno.test("guessPolicy() with only keeps to the given verbs, in trailscraper's singular-then-plural order", () => {
  const result = guessPolicy(policy({ Action: ["iam:GetPolicy"], Effect: "Allow", Resource: ["*"] }), {
    only: ["List", "Delete"],
  });
  assert.deepEqual(result.Statement[1]?.Action, ["iam:DeletePolicy", "iam:ListPolicies"]);
});

Deno.test("guessPolicy() keeps Sid, Condition and string Action, and guesses nothing for wildcards", () => {
  const statement = {
    Sid: "Read",
    Action: "ec2:DescribeVolumes",
    Effect: "Allow",
    Resource: "*",
    Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
  };
  const result = guessPolicy(policy(statement, { Action: ["s3:*"], Effect: "Deny", Resource: ["*"] }));
  assert.deepEqual(result.Statement[0], statement);
  assert.deepEqual(result.Statement[1], {
    Action: ["ec2:CreateVolume", "ec2:DeleteVolume", "ec2:DetachVolume", "ec2:AttachVolume"],
    Effect: "Allow",
    Resource: ["*"],
  });
  assert.deepEqual(result.Statement[2], { Action: ["s3:*"], Effect: "Deny", Resource: ["*"] });
  assert.equal(result.Statement.length, 3);
});

Deno.test("guessPolicy() reads actions in any case, as IAM does, and never guesses one granted in another case", () => {
  const result = guessPolicy(policy(
    { Action: ["ec2:describevolumes", "S3:GETOBJECT", "s3:putobject"], Effect: "Allow", Resource: ["*"] },
  ));
  assert.deepEqual(result.Statement[1]?.Action, [
    "ec2:CreateVolume",
    "ec2:DeleteVolume",
    "ec2:DetachVolume",
    "ec2:AttachVolume",
    "s3:DeleteObject",
  ]);
});
