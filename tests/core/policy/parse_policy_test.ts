import assert from "node:assert/strict";
import { parsePolicy } from "../../../src/core/policy/parse_policy.ts";

const statement = (extra: Record<string, unknown>) =>
  JSON.stringify({
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Allow", ...extra }],
  });

Deno.test("parsePolicy: what IAM takes (strings, lists of strings, condition values as strings, numbers, booleans)", () => {
  const ok = parsePolicy(statement({
    Action: ["s3:PutObject"],
    NotResource: "arn:aws:s3:::b",
    Condition: { Bool: { "aws:SecureTransport": true }, NumericLessThan: { "s3:max-keys": [10, "20"] } },
  }));
  assert.ok(ok.ok);
});

Deno.test("parsePolicy: an action, resource or condition value IAM would refuse is one issue naming the statement", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ Action: [1] }, /^statement 2: "Action" must be a string or a list of strings \(it holds a number\)$/],
    [{ Action: { a: 1 } }, /^statement 2: "Action" must be .* \(it holds an object\)$/],
    [{ Action: "s3:GetObject", Resource: [null] }, /^statement 2: "Resource" must be .* \(it holds null\)$/],
    [{ NotAction: [["s3:*"]] }, /^statement 2: "NotAction" must be .* \(it holds a list\)$/],
    [
      { Action: "s3:GetObject", Condition: { StringEquals: { "aws:ResourceTag/x": { a: 1 } } } },
      /^statement 2: Condition "StringEquals" "aws:ResourceTag\/x" must hold strings, numbers or booleans \(it holds an object\)$/,
    ],
    [
      { Action: "s3:GetObject", Condition: { StringEquals: "x" } },
      /^statement 2: Condition "StringEquals" is not an object$/,
    ],
    [{ Action: "s3:GetObject", Condition: ["x"] }, /^statement 2: "Condition" is not an object$/],
  ];
  for (const [extra, issue] of cases) {
    const parsed = parsePolicy(statement(extra));
    assert.ok(!parsed.ok, JSON.stringify(extra));
    if (!parsed.ok) assert.match(parsed.issue, issue, JSON.stringify(extra));
  }
});
