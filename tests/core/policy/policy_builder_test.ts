import assert from "node:assert/strict";
import { compareCodePoints, sortCodePoints } from "../../../src/core/util/compare_code_points.ts";
import { PolicyBuilder } from "../../../src/core/policy/policy_builder.ts";

function build(grants: [string[], string[]][]) {
  const builder = new PolicyBuilder();
  for (const [actions, resources] of grants) builder.add(actions, resources);
  return builder.build().Statement;
}

Deno.test("buildPolicy() merges statements with identical resources, then identical actions, then sorts", () => {
  const statements = build([
    [["s3:PutObject"], ["arn:aws:s3:::b/k"]],
    [["s3:GetObject"], ["arn:aws:s3:::b/k"]],
    [["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::c/k"]],
    [["ec2:DescribeInstances"], ["*"]],
    [["s3:GetObject"], ["arn:aws:s3:::b/k"]],
  ]);
  assert.deepEqual(statements, [
    { Action: ["ec2:DescribeInstances"], Effect: "Allow", Resource: ["*"] },
    { Action: ["s3:GetObject", "s3:PutObject"], Effect: "Allow", Resource: ["arn:aws:s3:::b/k", "arn:aws:s3:::c/k"] },
  ]);
});

Deno.test("buildPolicy() leaves a lone statement as it was, as trailscraper's reduceby does", () => {
  // A record listing the same ARN twice keeps both when nothing merges with it.
  assert.deepEqual(build([[["s3:GetObject"], ["arn:x", "arn:x"]]]), [
    { Action: ["s3:GetObject"], Effect: "Allow", Resource: ["arn:x", "arn:x"] },
  ]);
  assert.deepEqual(build([[["s3:GetObject"], ["arn:x", "arn:x"]], [["s3:GetObject"], ["arn:x", "arn:x"]]]), [
    { Action: ["s3:GetObject"], Effect: "Allow", Resource: ["arn:x"] },
  ]);
});

Deno.test("buildPolicy() sorts by the actions joined with '-', by code point", () => {
  const statements = build([[["s3:B"], ["r1"]], [["s3:A"], ["r2"]], [["ec2:Z"], ["r3"]]]);
  assert.deepEqual(statements.map((s) => s.Action), [["ec2:Z"], ["s3:A"], ["s3:B"]]);
});

Deno.test("buildPolicy() with no records is an empty policy", () => {
  assert.deepEqual(new PolicyBuilder().build(), { Version: "2012-10-17", Statement: [] });
});

Deno.test("sortCodePoints() sorts as compareCodePoints does, astral characters included", () => {
  const plain = ["arn:aws:s3:::b", "arn:aws:s3:::a/2", "arn:aws:s3:::a", "*", "arn:aws:s3:::a/10"];
  assert.deepEqual(sortCodePoints([...plain]), [...plain].sort(compareCodePoints));
  const astral = ["a\uFF01", "a\u{1F600}", "a\uE000", "a"];
  assert.deepEqual(sortCodePoints([...astral]), ["a", "a\uE000", "a\uFF01", "a\u{1F600}"]);
});

Deno.test("PolicyBuilder: groups share one array per action list; a policy's lists are its own, repeats merge as before", () => {
  const builder = new PolicyBuilder();
  builder.add(["s3:GetObject"], ["arn:aws:s3:::a/1"]);
  builder.add(["s3:GetObject"], ["arn:aws:s3:::a/2"]);
  builder.add(["s3:GetObject"], ["arn:aws:s3:::a/2"]); // a repeat with nothing new
  builder.add(["s3:PutObject"], ["arn:aws:s3:::a/2"]); // a repeat with a new action
  const first = builder.build();
  assert.deepEqual(first.Statement.map((s) => [s.Action, s.Resource]), [
    [["s3:GetObject"], ["arn:aws:s3:::a/1"]],
    [["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::a/2"]],
  ]);
  (first.Statement[0]!.Action as string[]).push("iam:PassRole"); // the caller's to change
  builder.add(["s3:GetObject"], ["arn:aws:s3:::a/3"]);
  assert.deepEqual(builder.build().Statement[0]!.Action, ["s3:GetObject"]);
});
