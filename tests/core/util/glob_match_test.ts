import assert from "node:assert/strict";
import { foldCaseText, globMatch } from "../../../src/core/util/glob_match.ts";

/** The regex IAM wildcards used to become: a reference for short inputs (it backtracks exponentially on long ones). */
function reference(pattern: string, value: string, ignoreCase: boolean, questionMark: boolean): boolean {
  const escaped = pattern.replace(questionMark ? /[.+^${}()|[\]\\]/g : /[.+?^${}()|[\]\\]/g, "\\$&");
  const body = escaped.replaceAll("*", ".*").replaceAll(questionMark ? "?" : "\0", ".");
  return new RegExp(`^${body}$`, ignoreCase ? "is" : "s").test(value);
}

/** A small seeded generator (mulberry32), so a failure names a pair that can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("globMatch() agrees with the regex reference on 40,000 random pattern/value pairs", () => {
  const next = random(18);
  const word = (alphabet: string[], max: number) =>
    Array.from({ length: Math.floor(next() * (max + 1)) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(
      "",
    );
  const patternChars = ["a", "b", "A", "*", "*", "?", ".", ":", "é", "É", "\n", "ſ", "K"];
  const valueChars = ["a", "b", "A", "B", "?", "*", ".", ":", "é", "É", "\n", "s", "S", "k", "\u212a"];
  for (let i = 0; i < 40_000; i++) {
    const pattern = word(patternChars, 8);
    const value = word(valueChars, 10);
    const ignoreCase = i % 2 === 0;
    const questionMark = i % 4 < 3;
    assert.equal(
      globMatch(pattern, value, { ignoreCase, questionMark }),
      reference(pattern, value, ignoreCase, questionMark),
      JSON.stringify({ pattern, value, ignoreCase, questionMark }),
    );
  }
});

Deno.test("globMatch() on IAM examples", () => {
  assert.ok(globMatch("s3:Get*", "s3:GetObject", { ignoreCase: true }));
  assert.ok(globMatch("S3:get*", "s3:GetObject", { ignoreCase: true }));
  assert.ok(!globMatch("S3:get*", "s3:GetObject"));
  assert.ok(globMatch("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c"));
  assert.ok(globMatch("ec2:Describe?nstances", "ec2:DescribeInstances"));
  assert.ok(!globMatch("ec2:Describe?nstances", "ec2:Describenstances"));
  assert.ok(globMatch("*", ""));
  assert.ok(!globMatch("?", ""));
  assert.ok(globMatch("ReEncrypt*", "ReEncryptFrom", { questionMark: false }));
  assert.ok(!globMatch("Get?", "GetX", { questionMark: false }));
  assert.ok(globMatch("Get?", "Get?", { questionMark: false }));
});

Deno.test("globMatch(): 2,000 wildcards against a long action name take far less than a second", () => {
  const pattern = "s3:" + "*?".repeat(1000) + "x";
  const long = "s3:" + "GetObject".repeat(600);
  const started = performance.now();
  assert.equal(globMatch(pattern, long, { ignoreCase: true }), false);
  assert.equal(globMatch(pattern, long + "x", { ignoreCase: true }), true);
  assert.equal(globMatch(pattern, "s3:" + "a".repeat(999) + "x"), false); // one character short of the 1,000 `?`
  assert.equal(globMatch("*a".repeat(1000) + "*b", "a".repeat(5000)), false);
  const seconds = (performance.now() - started) / 1000;
  assert.ok(seconds < 5, `${seconds} s`); // generous: a regex needs longer than the universe's age here
});

Deno.test("foldCaseText: ASCII text folds the same on its fast path as letter by letter", () => {
  const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).join("");
  // The `é` sends the whole text letter by letter; without it, the ASCII text takes the fast path.
  const slow = foldCaseText(ascii + "é");
  assert.equal(foldCaseText(ascii), slow.slice(0, 128));
  assert.equal(slow.slice(128), "É");
  assert.equal(foldCaseText("kms:Decrypt"), "KMS:DECRYPT");
});
