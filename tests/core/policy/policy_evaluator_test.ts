import assert from "node:assert/strict";
import { evaluate, PolicyEvaluator, wildcardMatch } from "../../../src/core/policy/policy_evaluator.ts";
import type { PolicyDocument, Statement } from "../../../src/core/policy/policy.ts";

const policy = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: Statement as Statement[], // NotAction and NotResource statements have no Action or Resource
});
const allow = (Action: string | string[], Resource: string | string[] = "*"): Statement => ({
  Effect: "Allow",
  Action,
  Resource,
});

// Matching rules as IAM's documentation states them (policy elements: Action, Resource, NotAction, NotResource).
Deno.test("wildcardMatch(): IAM's wildcards in actions (any case) and resources (exact case)", () => {
  const cases: [string, string, boolean, boolean][] = [
    ["s3:*", "s3:GetObject", true, true],
    ["s3:Get*", "s3:GetObject", true, true],
    ["s3:Get*", "s3:PutObject", true, false],
    ["iam:*AccessKey*", "iam:ListAccessKeys", true, true],
    ["iam:*AccessKey*", "iam:CreateAccessKey", true, true],
    ["S3:getobject", "s3:GetObject", true, true],
    ["ec2:Describe?nstances", "ec2:DescribeInstances", true, true],
    ["*", "anything:AtAll", true, true],
    ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b.txt", false, true],
    ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false, false],
    ["arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a", false, false],
    ["arn:aws:iam::*:role/deploy", "arn:aws:iam::111122223333:role/deploy", false, true],
    ["arn:aws:dynamodb:*:*:table/t-?", "arn:aws:dynamodb:eu-west-1:1:table/t-7", false, true],
    ["arn:aws:s3:::b/a.b", "arn:aws:s3:::b/aXb", false, false],
  ];
  for (const [pattern, value, ignoreCase, expected] of cases) {
    assert.equal(wildcardMatch(pattern, value, ignoreCase), expected, `${pattern} ~ ${value}`);
  }
});

Deno.test("evaluate(): Allow, explicit Deny wins, implicit deny, NotAction, NotResource, conditions not evaluated", () => {
  const get = { action: "s3:GetObject", resource: "arn:aws:s3:::b/k" };
  assert.equal(evaluate(policy(allow("s3:GetObject", "arn:aws:s3:::b/*")), get).decision, "allowed");
  assert.equal(evaluate(policy(allow("s3:GetObject", "arn:aws:s3:::other/*")), get).decision, "implicitly denied");
  assert.equal(
    evaluate(policy(allow("s3:*"), { Effect: "Deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }), get)
      .decision,
    "explicitly denied",
  );
  assert.equal(evaluate(policy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }), get).decision, "allowed");
  assert.equal(
    evaluate(policy({ Effect: "Allow", NotAction: ["s3:*"], Resource: "*" }), get).decision,
    "implicitly denied",
  );
  assert.equal(
    evaluate(policy({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }), get).decision,
    "allowed",
  );
  assert.equal(
    evaluate(policy({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::b/*" }), get).decision,
    "implicitly denied",
  );
  const conditional = evaluate(
    policy({ ...allow("s3:GetObject"), Condition: { Bool: { "aws:SecureTransport": "true" } } }),
    get,
  );
  assert.deepEqual(conditional, { decision: "allowed", conditional: true });
  assert.deepEqual(
    evaluate(policy({ ...allow("s3:GetObject"), Condition: {} }, allow("s3:*")), get),
    { decision: "allowed", conditional: false },
  );
  // A call without a resource is a request on "*": only a statement on "*" allows it.
  assert.equal(
    evaluate(policy(allow("ec2:DescribeInstances", "arn:aws:ec2:*:*:instance/*")), {
      action: "ec2:DescribeInstances",
      resource: "*",
    }).decision,
    "implicitly denied",
  );
});

Deno.test("PolicyEvaluator: exact values in sets and wildcards in combined regexes decide as pattern-by-pattern matching", () => {
  const resources = Array.from({ length: 700 }, (_, i) => `arn:aws:s3:::bucket-${i}/${i % 3 === 0 ? "*" : `key-${i}`}`);
  const policy = {
    Statement: [
      { Effect: "Allow", Action: ["s3:GetObject", "S3:PutObject", "s3:List*"], Resource: resources },
      { Effect: "Deny", Action: "s3:PutObject", Resource: "arn:aws:s3:::bucket-9?/*" },
      { Effect: "Allow", NotAction: ["iam:*"], NotResource: ["arn:aws:s3:::secret*"], Condition: { Bool: {} } },
    ],
  };
  const naive = (request: { action: string; resource: string }) => {
    let allowed: string | undefined;
    for (const s of policy.Statement as Record<string, unknown>[]) {
      const one = (v: unknown) => (Array.isArray(v) ? v : [v]) as string[];
      const action = "NotAction" in s
        ? !one(s.NotAction).some((p) => wildcardMatch(p, request.action, true))
        : one(s.Action).some((p) => wildcardMatch(p, request.action, true));
      const resource = "NotResource" in s
        ? !one(s.NotResource).some((p) => wildcardMatch(p, request.resource, false))
        : one(s.Resource).some((p) => wildcardMatch(p, request.resource, false));
      if (!action || !resource) continue;
      if (s.Effect === "Deny") return "explicitly denied";
      allowed ??= "allowed";
    }
    return allowed ?? "implicitly denied";
  };
  const evaluator = new PolicyEvaluator(policy as never);
  let decisions = 0;
  for (const action of ["s3:getobject", "s3:PutObject", "s3:ListBucket", "iam:PassRole", "ec2:RunInstances"]) {
    for (let i = 0; i < 720; i += 7) {
      for (
        const resource of [`arn:aws:s3:::bucket-${i}/key-${i}`, `arn:aws:s3:::bucket-${i}/x`, "arn:aws:s3:::secret-1"]
      ) {
        const request = { action, resource };
        assert.equal(evaluator.evaluate(request).decision, naive(request), `${action} on ${resource}`);
        decisions++;
      }
    }
  }
  assert.ok(decisions > 1000);
});

Deno.test("PolicyEvaluator: actions fold case as wildcardMatch does, also letters outside ASCII (Kelvin sign, dotted I)", () => {
  // toLowerCase() folds K (U+212A) to `k` and İ (U+0130) to `i̇`: a regex's `i` flag (and wildcardMatch) does not.
  const cases: [string, string][] = [
    ["kms:Decrypt", "\u212Ams:Decrypt"],
    ["k*", "\u212Ams:Decrypt"],
    ["\u212Ams:*", "kms:Decrypt"],
    ["iam:*", "\u0130am:PassRole"],
    ["i*", "\u0130am:PassRole"],
    ["s3:getobject", "S3:GetObject"],
    ["*:É*", "x:éx"],
    ["é?", "Éa"],
  ];
  for (const [pattern, action] of cases) {
    const evaluator = new PolicyEvaluator(policy(allow(pattern)));
    const expected = wildcardMatch(pattern, action, true) ? "allowed" : "implicitly denied";
    assert.equal(evaluator.evaluate({ action, resource: "*" }).decision, expected, `${pattern} on ${action}`);
  }
});

Deno.test("PolicyEvaluator: patterns that share a prefix are told apart by their suffix, as pattern-by-pattern matching does", () => {
  // 2,000 role patterns with one literal prefix (a `*` path, then a name), `?` as the last wildcard, and patterns
  // whose prefix and suffix overlap in a short value: every decision equals wildcardMatch over the list.
  const patterns = [
    ...Array.from({ length: 2000 }, (_, i) => `arn:aws:iam::111122223333:role/*/role-${i}`),
    "arn:aws:iam::111122223333:role/*/app-?",
    "arn:aws:iam::111122223333:role/a*a",
    "arn:aws:iam::111122223333:role/x*",
    "ab*ba",
  ];
  const evaluator = new PolicyEvaluator(policy({ Effect: "Allow", Action: "iam:GetRole", Resource: patterns }));
  const values = [
    "arn:aws:iam::111122223333:role/p/role-7",
    "arn:aws:iam::111122223333:role/role-7",
    "arn:aws:iam::111122223333:role/p/q/role-1999",
    "arn:aws:iam::111122223333:role/p/role-2000",
    "arn:aws:iam::111122223333:role/p/role-17x",
    "arn:aws:iam::111122223333:role/p/app-1",
    "arn:aws:iam::111122223333:role/p/app-12",
    "arn:aws:iam::111122223333:role/a",
    "arn:aws:iam::111122223333:role/aa",
    "arn:aws:iam::111122223333:role/x",
    "aba",
    "abba",
    "ab/ba",
  ];
  let allowed = 0;
  for (const resource of values) {
    const expected = patterns.some((p) => wildcardMatch(p, resource, false));
    const decision = evaluator.evaluate({ action: "iam:GetRole", resource }).decision;
    assert.equal(decision, expected ? "allowed" : "implicitly denied", resource);
    if (expected) allowed++;
  }
  assert.equal(allowed, 7); // role-7, role-1999, app-1, aa, x, abba, ab/ba
});

/** IAM's evaluation written plainly: every pattern of every statement matched one by one with wildcardMatch. */
function naiveEvaluate(doc: PolicyDocument, request: { action: string; resource: string }) {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);
  let allowed: Statement | undefined;
  for (const s of doc.Statement as Record<string, unknown>[]) {
    const notAction = "NotAction" in s;
    const actions = list(notAction ? s.NotAction : s.Action);
    if (actions.some((p) => wildcardMatch(p, request.action, true)) === notAction) continue;
    if ("Resource" in s || "NotResource" in s) {
      const notResource = "NotResource" in s;
      const resources = list(notResource ? s.NotResource : s.Resource);
      if (resources.some((p) => wildcardMatch(p, request.resource, false)) === notResource) continue;
    }
    if (s.Effect === "Deny") return { decision: "explicitly denied", conditional: "Condition" in s };
    if (s.Effect === "Allow" && (!allowed || "Condition" in allowed)) allowed = s as unknown as Statement;
  }
  return allowed
    ? { decision: "allowed", conditional: "Condition" in allowed }
    : { decision: "implicitly denied", conditional: false };
}

Deno.test("PolicyEvaluator: on random policies and requests, every decision equals matching each pattern one by one", () => {
  let seed = 20261203;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  // Few letters, so patterns share prefixes and suffixes; case pairs and the letters a regex's `i` flag treats
  // apart (Kelvin sign, dotted and dotless i, sharp s, final sigma); a lone surrogate; `*` and `?` as text too.
  const letters = [
    "a",
    "A",
    "b",
    "B",
    ":",
    "/",
    "k",
    "K",
    "\u212a",
    "i",
    "I",
    "\u0130",
    "\u0131",
    "\u00df",
    "\u1e9e",
    "\u03c3",
    "\u03c2",
    "\u03a3",
    "\n",
    "\ud83d",
    "*",
    "?",
  ];
  const text = (max: number) => Array.from({ length: Math.floor(next() * (max + 1)) }, () => pick(letters)).join("");
  const pattern = () =>
    Array.from({ length: Math.floor(next() * 7) }, () => pick([...letters, "*", "*", "?", "?"])).join("");
  // A value made from a pattern (its wildcards filled in), so that many values match something.
  const filled = (p: string) => p.replace(/[*?]/g, (w) => (w === "?" ? pick(letters) : text(3)));
  let checked = 0;
  const decisions = new Set<string>();
  for (let round = 0; round < 300; round++) {
    const statements = Array.from({ length: 1 + Math.floor(next() * 4) }, () => {
      const patterns = (n: number) => Array.from({ length: n }, pattern);
      const s: Record<string, unknown> = { Effect: next() < 0.7 ? "Allow" : "Deny" };
      s[next() < 0.2 ? "NotAction" : "Action"] = next() < 0.2 ? pattern() : patterns(1 + Math.floor(next() * 6));
      const r = next();
      if (r < 0.15) s.NotResource = patterns(1 + Math.floor(next() * 4));
      else if (r < 0.9) s.Resource = next() < 0.2 ? pattern() : patterns(1 + Math.floor(next() * 8));
      if (next() < 0.2) s.Condition = { Bool: { "aws:SecureTransport": "true" } };
      return s;
    });
    const doc = policy(...statements);
    const evaluator = new PolicyEvaluator(doc);
    const all = statements.flatMap((s) => [s.Action, s.NotAction, s.Resource, s.NotResource].flat())
      .filter((p): p is string => typeof p === "string");
    for (let i = 0; i < 40; i++) {
      const action = next() < 0.6 && all.length ? filled(pick(all)) : text(6);
      const value = next() < 0.5 ? action : next() < 0.7 && all.length ? filled(pick(all)) : text(6);
      // The same action twice in a row, then in another case: the evaluator keeps the last action folded.
      for (const request of [{ action, resource: value }, { action, resource: value + "a" }]) {
        const expected = naiveEvaluate(doc, request);
        assert.deepEqual(evaluator.evaluate(request), expected, JSON.stringify({ statements, request }));
        decisions.add(expected.decision);
        checked++;
      }
      const upper = { action: action.toUpperCase(), resource: value };
      assert.deepEqual(evaluator.evaluate(upper), naiveEvaluate(doc, upper), JSON.stringify({ statements, upper }));
    }
  }
  assert.equal(checked, 24_000);
  assert.deepEqual([...decisions].sort(), ["allowed", "explicitly denied", "implicitly denied"]);
});
