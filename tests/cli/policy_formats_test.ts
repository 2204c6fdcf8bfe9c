/** generate and guess as CloudFormation and Terraform: parsed back with real parsers (yaml, @cdktf/hcl2json). */
import assert from "node:assert/strict";
import YAML from "yaml";
import { arnWithPlaceholders } from "../../src/core/policy/policy_placeholders.ts";
import type { PolicyDocument } from "../../src/core/policy/policy.ts";
import { runCli } from "../helpers/fake_io.ts";

const fixtures = new URL("../fixtures/generate/", import.meta.url);

// A real HCL parser (Go's, as WebAssembly). Imported by a computed name: its type declarations pull in DOM types that
// break the type check of the rest of the suite.
const hcl2json = "@cdktf/hcl2json";
const { parse: parseHcl } = await import(hcl2json) as {
  // deno-lint-ignore no-explicit-any
  parse(name: string, text: string): Promise<any>;
};
const list = (v: unknown) => (Array.isArray(v) ? v : [v]);

Deno.test("generate --format cloudformation: the template's policy parses back to the same policy, per golden fixture", async (t) => {
  for await (const entry of Deno.readDir(fixtures)) {
    if (!entry.name.endsWith(".records.json")) continue;
    await t.step(entry.name, async () => {
      const stdin = await Deno.readTextFile(new URL(entry.name, fixtures));
      const json = JSON.parse((await runCli(["generate"], { stdin })).stdout) as PolicyDocument;
      const cfn = await runCli(["generate", "--format", "cloudformation"], { stdin });
      assert.equal(cfn.code, 0, cfn.stderr);
      const template = YAML.parse(cfn.stdout, { version: "1.1" });
      assert.equal(template.AWSTemplateFormatVersion, "2010-09-09");
      const resource = template.Resources.TrailscraperPolicy;
      assert.equal(resource.Type, "AWS::IAM::ManagedPolicy");
      assert.deepEqual(resource.Properties.PolicyDocument, json);
    });
  }
});

Deno.test("generate --format terraform: one statement block per statement, same actions and resources (hcl2json)", async (t) => {
  for await (const entry of Deno.readDir(fixtures)) {
    if (!entry.name.endsWith(".records.json")) continue;
    await t.step(entry.name, async () => {
      const stdin = await Deno.readTextFile(new URL(entry.name, fixtures));
      const json = JSON.parse((await runCli(["generate"], { stdin })).stdout) as PolicyDocument;
      const tf = await runCli(["generate", "--format", "terraform"], { stdin });
      assert.equal(tf.code, 0, tf.stderr);
      const parsed = await parseHcl("policy.tf", tf.stdout);
      const statements = parsed.data.aws_iam_policy_document.trailscraper[0].statement as Record<string, unknown>[];
      assert.equal(statements.length, json.Statement.length);
      statements.forEach((s, i) => {
        assert.equal(s.effect, json.Statement[i]!.Effect);
        assert.deepEqual(s.actions, list(json.Statement[i]!.Action));
        assert.deepEqual(s.resources, list(json.Statement[i]!.Resource));
      });
    });
  }
});

Deno.test("--placeholders: account and region as ${AWS::AccountId} / ${AWS::Region}, Fn::Sub in CloudFormation, data sources in Terraform", async () => {
  assert.equal(
    arnWithPlaceholders("arn:aws:dynamodb:eu-west-1:111122223333:table/t"),
    "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/t",
  );
  assert.equal(arnWithPlaceholders("arn:aws:s3:::bucket/key"), "arn:aws:s3:::bucket/key");
  assert.equal(arnWithPlaceholders("arn:aws:iam::111122223333:role/r"), "arn:aws:iam::${AWS::AccountId}:role/r");
  const stdin = await Deno.readTextFile("data/sample/records.json");
  const cfn = YAML.parse(
    (await runCli(["generate", "--format", "cloudformation", "--placeholders"], { stdin })).stdout,
  );
  const resources = cfn.Resources.TrailscraperPolicy.Properties.PolicyDocument.Statement.flatMap((
    s: { Resource: unknown[] },
  ) => s.Resource);
  assert.ok(
    resources.some((r: unknown) =>
      typeof r === "object" && (r as { "Fn::Sub": string })["Fn::Sub"].includes("${AWS::AccountId}")
    ),
  );
  const tf = (await runCli(["generate", "--format", "terraform", "--placeholders"], { stdin })).stdout;
  assert.match(tf, /^data "aws_caller_identity" "current" \{\}\ndata "aws_region" "current" \{\}\n/);
  assert.match(
    tf,
    /"arn:aws:lambda:\$\{data\.aws_region\.current\.name\}:\$\{data\.aws_caller_identity\.current\.account_id\}:function:api"/,
  );
  const parsed = await parseHcl("p.tf", tf);
  assert.ok(parsed.data.aws_caller_identity.current);
});

Deno.test("guess --format terraform; policy variables stay literal in HCL ($${...})", async () => {
  const policy = JSON.stringify({
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::home/${aws:username}/*" }],
  });
  const r = await runCli(["guess", "--only", "Put", "--format", "terraform"], { stdin: policy });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /resources = \["arn:aws:s3:::home\/\$\$\{aws:username\}\/\*"\]/);
  const parsed = await parseHcl("g.tf", r.stdout);
  const statements = parsed.data.aws_iam_policy_document.trailscraper[0].statement;
  assert.equal(statements[0].resources[0], "arn:aws:s3:::home/$${aws:username}/*");
  assert.deepEqual(statements[1].actions, ["s3:PutObject"]);
});

Deno.test("--placeholders: only the policy's home account and region become placeholders; another account's ARN keeps its id", async () => {
  const stdin = await Deno.readTextFile(new URL("resource_arns.records.json", fixtures));
  const r = await runCli(["generate", "--resources", "precise", "--placeholders"], { stdin });
  assert.equal(r.code, 0, r.stderr);
  const resources = (JSON.parse(r.stdout) as { Statement: { Resource: string[] }[] }).Statement.flatMap((s) =>
    s.Resource
  );
  assert.ok(resources.includes("arn:aws:sqs:${AWS::Region}:444455556666:jobs"), "cross-account queue");
  assert.ok(resources.includes("arn:aws:iam::444455556666:role/ci/deploy"), "cross-account role");
  assert.ok(resources.includes("arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:results"));
  assert.ok(resources.includes("arn:aws:iam::${AWS::AccountId}:role/deployer"));
  assert.ok(!resources.some((arn) => arn.includes("111122223333")), "the home account is always a placeholder");
});

Deno.test("guess --format terraform: a resource policy's Principal and NotPrincipal are kept as principals blocks", async () => {
  const policy = JSON.stringify({
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111122223333:root", "222233334444"], Service: "lambda.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::b/*",
      },
      { Effect: "Deny", NotPrincipal: { AWS: "arn:aws:iam::111122223333:role/admin" }, Action: "s3:*", Resource: "*" },
      { Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::b" },
    ],
  });
  const r = await runCli(["guess", "--only", "Nothing", "--format", "terraform"], { stdin: policy });
  assert.equal(r.code, 0, r.stderr);
  const statements = (await parseHcl("g.tf", r.stdout)).data.aws_iam_policy_document.trailscraper[0].statement;
  assert.deepEqual(statements[0].principals, [
    { type: "AWS", identifiers: ["arn:aws:iam::111122223333:root", "222233334444"] },
    { type: "Service", identifiers: ["lambda.amazonaws.com"] },
  ]);
  assert.deepEqual(statements[1].not_principals, [{
    type: "AWS",
    identifiers: ["arn:aws:iam::111122223333:role/admin"],
  }]);
  assert.deepEqual(statements[2].principals, [{ type: "*", identifiers: ["*"] }]);
});
