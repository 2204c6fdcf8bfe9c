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

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("PolicyBuilder: a record naming one ARN twice gives the same policy whether its group came through groups() or not", () => {
  // What generate's workers do: each builds a part, the parts meet through groups()/addGroups().
  const serial = new PolicyBuilder();
  const [a, b] = [new PolicyBuilder(), new PolicyBuilder()];
  for (
    const [builder, actions, resources] of [[a, ["s3:GetObject"], ["r", "r"]], [b, ["s3:PutObject"], ["r"]]] as const
  ) {
    builder.add(actions, [...resources]);
    builder.add(actions, [...resources]); // a repeat: the group's count is 2
    serial.add(actions, [...resources]);
    serial.add(actions, [...resources]);
  }
  const merged = new PolicyBuilder();
  merged.addGroups(a.groups());
  merged.addGroups(b.groups());
  assert.deepEqual(merged.build(), serial.build());
});

Deno.test("PolicyBuilder: any split of random adds into parts merged through groups() builds the serial policy", () => {
  const next = random(20261203);
  const pick = (pool: string[]) => pool[Math.floor(next() * pool.length)]!;
  const list = (pool: string[]) => Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(pool));
  for (let trial = 0; trial < 3000; trial++) {
    const ops = Array.from({ length: 1 + Math.floor(next() * 8) }, () => ({
      // Sorted, distinct actions, as the generator adds them (lists that differ only in order or repeats sort as equals).
      actions: [...new Set(list(["s3:GetObject", "s3:PutObject", "ec2:RunInstances"]))].sort(compareCodePoints),
      resources: list(["*", "arn:aws:s3:::a", "arn:aws:s3:::b"]).sort(compareCodePoints),
      count: 1 + Math.floor(next() * 2),
      part: Math.floor(next() * 3),
    }));
    const serial = new PolicyBuilder();
    const parts = [new PolicyBuilder(), new PolicyBuilder(), new PolicyBuilder()];
    for (const op of ops) {
      serial.add(op.actions, [...op.resources], op.count);
      parts[op.part]!.add(op.actions, [...op.resources], op.count);
    }
    const merged = new PolicyBuilder();
    for (const part of parts) merged.addGroups(part.groups());
    assert.deepEqual(merged.build(), serial.build(), JSON.stringify(ops));
  }
});

Deno.test("PolicyBuilder: a resource or action holding the separator does not pass for a list (a record may name any)", () => {
  const builder = new PolicyBuilder();
  builder.add(["s3:GetObject"], ["arn:aws:s3:::a\u0000arn:aws:s3:::b"]);
  builder.add(["s3:PutObject"], ["arn:aws:s3:::a", "arn:aws:s3:::b"]);
  builder.add(["s3:Get\u0000s3:Put"], ["arn:aws:s3:::c"]);
  builder.add(["s3:Get", "s3:Put"], ["arn:aws:s3:::d"]);
  assert.deepEqual(builder.build().Statement.map((s) => [s.Action, s.Resource]), [
    [["s3:Get\u0000s3:Put"], ["arn:aws:s3:::c"]], // sorted by the actions joined with "-": "\u0000" before "-"
    [["s3:Get", "s3:Put"], ["arn:aws:s3:::d"]],
    [["s3:GetObject"], ["arn:aws:s3:::a\u0000arn:aws:s3:::b"]],
    [["s3:PutObject"], ["arn:aws:s3:::a", "arn:aws:s3:::b"]],
  ]);
});
