import assert from "node:assert/strict";
import { principalFileNames } from "../../../src/core/policy/principal_file_names.ts";
import { textHash } from "../../../src/core/util/text_hash.ts";

const fileNames = (principals: string[]) => [...principalFileNames(principals).values()].map((f) => f.name);

function assertInjective(principals: string[]) {
  const names = fileNames(principals);
  assert.equal(names.length, new Set(principals).size);
  assert.equal(new Set(names.map((n) => n.toLowerCase())).size, names.length, names.join(" "));
  for (const name of names) {
    assert.match(name, /^[A-Za-z0-9_][A-Za-z0-9._~-]*\.json$/);
    assert.ok(name.length <= 255, `${name.length}`);
  }
}

Deno.test("principalFileNames() keeps readable names where they are unique", () => {
  assert.deepEqual(
    [...principalFileNames(["arn:aws:iam::111122223333:role/ci-deploy", "service:ec2.amazonaws.com", "unknown"])],
    [
      ["arn:aws:iam::111122223333:role/ci-deploy", { name: "iam_111122223333_role_ci-deploy.json", plain: true }],
      ["service:ec2.amazonaws.com", { name: "service_ec2.amazonaws.com.json", plain: true }],
      ["unknown", { name: "unknown.json", plain: true }],
    ],
  );
});

Deno.test("principalFileNames() is injective: punctuation, case, length, and a name that is another's hashed name", () => {
  const hashedOfPlus = `a_b-${textHash("a+b").slice(0, 8)}`;
  const names = principalFileNames(["a+b", "a@b", hashedOfPlus, "A_B"]);
  assert.deepEqual(names.get("a+b"), { name: `${hashedOfPlus}.json`, plain: false });
  assert.deepEqual(names.get(hashedOfPlus), { name: `${hashedOfPlus}~2.json`, plain: false });
  assertInjective(["a+b", "a@b", hashedOfPlus, "A_B"]);
  const long = "arn:aws:iam::111122223333:role/" + "p/".repeat(250) + "r";
  assertInjective([long, long + "+", long + "@", long.toUpperCase(), "", "..", ".", "/", "\0", "x".repeat(10_000)]);
});

Deno.test("principalFileNames() is injective on 5,000 seeded principals that differ only in punctuation and case", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const chars = ["a", "A", "+", "=", ",", ".", "@", "_", "-", "/", ":"];
  const principals = Array.from(
    { length: 5000 },
    () =>
      "arn:aws:iam::1:role/" +
      Array.from({ length: 1 + Math.floor(next() * 6) }, () => chars[Math.floor(next() * chars.length)]).join(""),
  );
  assertInjective(principals);
});
