import assert from "node:assert/strict";
import { compileArnFormat, fillArn, parseArn } from "../../../src/core/iam/arn_format.ts";
import { cachedActionTypes, iamResources } from "../../../src/core/iam/iam_resources.ts";
import { type ResourceCatalog, ResourceResolver } from "../../../src/core/iam/resource_arns.ts";
import { paramSpecs } from "../../../src/core/iam/resource_params.ts";
import { arnCandidates, compileSpecs, recordValues } from "../../../src/core/iam/resource_values.ts";

/** The placeholder values the tables give `action` on `raw`. */
const resourceValues = (action: string, placeholders: string[], raw: Record<string, unknown>) =>
  recordValues(compileSpecs(paramSpecs(action, new Set(placeholders)) ?? []), raw).values;

const OBJECT = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";

Deno.test("ARN formats: a name holds no ':' or '/' unless its placeholder says so; environment parts are checked", () => {
  const bucket = compileArnFormat("arn:${Partition}:s3:::${BucketName}");
  assert.equal(bucket.regex.test("arn:aws:s3:::reports"), true);
  assert.equal(bucket.regex.test("arn:aws:s3:::reports/a.csv"), false);
  const object = compileArnFormat(OBJECT, { ObjectName: ".+" });
  assert.deepEqual(parseArn(object, "arn:aws-cn:s3:::reports/2024/a.csv"), ["aws-cn", "reports", "2024/a.csv"]);
  const table = compileArnFormat("arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}");
  assert.equal(table.regex.test("arn:aws:dynamodb:eu-west-1:111122223333:table/orders"), true);
  assert.equal(table.regex.test("arn:aws:dynamodb:eu-west-1:1111:table/orders"), false, "short account id");
  assert.equal(table.regex.test("arn:aws:dynamodb:*:111122223333:table/orders"), false, "wildcard region");
  const values = new Map([["Partition", ["aws"]], ["Region", ["eu-west-1"]], ["Account", ["111122223333"]], [
    "TableName",
    ["a", "b"],
  ]]);
  assert.deepEqual(fillArn(table, values), [
    "arn:aws:dynamodb:eu-west-1:111122223333:table/a",
    "arn:aws:dynamodb:eu-west-1:111122223333:table/b",
  ]);
  values.delete("Region");
  assert.deepEqual(fillArn(table, values), [], "a missing part builds nothing");
});

Deno.test("recordValues(): names from the tables' paths and transforms; account from the queue URL", () => {
  const raw = {
    awsRegion: "cn-north-1",
    recipientAccountId: "111122223333",
    requestParameters: { queueUrl: "https://sqs.cn-north-1.amazonaws.com.cn/444455556666/jobs" },
  };
  assert.deepEqual(Object.fromEntries(resourceValues("sqs:SendMessage", ["QueueName"], raw)), {
    QueueName: ["jobs"],
    Account: ["444455556666"],
    Region: ["cn-north-1"],
    Partition: ["aws-cn"],
  });
  const ec2 = resourceValues("ec2:StopInstances", ["InstanceId"], {
    awsRegion: "eu-west-1",
    recipientAccountId: "111122223333",
    requestParameters: { instancesSet: { items: [{ instanceId: "i-1" }, { instanceId: "i-2" }, {}] } },
  });
  assert.deepEqual(ec2.get("InstanceId"), ["i-1", "i-2"]);
  const secrets = resourceValues("secretsmanager:GetSecretValue", ["SecretId"], {
    requestParameters: { secretId: "prod/db" },
  });
  assert.deepEqual(secrets.get("SecretId"), ["prod/db-??????"]);
  assert.equal(
    resourceValues("secretsmanager:GetSecretValue", ["SecretId"], { requestParameters: { secretId: "arn:aws:x" } })
      .has("SecretId"),
    false,
  );
  assert.deepEqual(
    arnCandidates({
      resources: [{ ARN: "arn:aws:kms:eu-west-1:111122223333:key/k" }, { type: "AWS::NoArn" }],
      requestParameters: { deep: [{ arn: "arn:aws:sns:eu-west-1:111122223333:t" }], other: "arnold" },
      responseElements: { role: { arn: "arn:aws:iam::111122223333:role/r" } },
    }),
    [
      "arn:aws:kms:eu-west-1:111122223333:key/k",
      "arn:aws:sns:eu-west-1:111122223333:t",
      "arn:aws:iam::111122223333:role/r",
    ],
  );
});

const record = (eventName: string, requestParameters: unknown, resources: unknown[] = []) => ({
  eventName,
  awsRegion: "eu-west-1",
  recipientAccountId: "111122223333",
  requestParameters,
  resources,
});

Deno.test("ResourceResolver: an ARN that does not match the action's formats is never emitted", () => {
  const resolver = new ResourceResolver(iamResources);
  // GetObject's formats are objects: the bucket ARN CloudTrail also lists is not used.
  const get = record("GetObject", { bucketName: "b", key: "k" }, [{ ARN: "arn:aws:s3:::b" }]);
  assert.deepEqual(resolver.resolve(get, ["s3:GetObject"]), [
    { action: "s3:GetObject", resources: ["arn:aws:s3:::b/k"], outcome: "concrete" },
  ]);
  // RunInstances names its image, subnet, ...: a record naming none of them keeps "*" (its `instance/*` is no name).
  const run = record("RunInstances", { instanceType: "t3.micro" });
  assert.deepEqual(resolver.resolve(run, ["ec2:RunInstances"]), [
    { action: "ec2:RunInstances", resources: ["*"], outcome: "no-arn" },
  ]);
  // DescribeInstances has no resource-level permissions; an unknown action gets "*" too.
  assert.deepEqual(resolver.resolve(record("DescribeInstances", {}), ["ec2:DescribeInstances", "ec2:Nope"]), [
    { action: "ec2:DescribeInstances", resources: ["*"], outcome: "no-resource-level" },
    { action: "ec2:Nope", resources: ["*"], outcome: "no-arn" },
  ]);
  // A Lambda function name that is not a name, partial ARN or ARN builds nothing.
  assert.deepEqual(resolver.resolve(record("Invoke", { functionName: "f/../g" }), ["lambda:InvokeFunction"]), [
    { action: "lambda:InvokeFunction", resources: ["*"], outcome: "no-arn" },
  ]);
});

Deno.test("ResourceResolver prefix mode: the last name of a nested ARN becomes *; single names stay", () => {
  const resolver = new ResourceResolver(iamResources, "prefix");
  const query = record("Query", { tableName: "t", indexName: "i" });
  assert.deepEqual(resolver.resolve(query, ["dynamodb:Query"])[0]?.resources, [
    "arn:aws:dynamodb:eu-west-1:111122223333:table/t",
    "arn:aws:dynamodb:eu-west-1:111122223333:table/t/index/*",
  ]);
  const put = record("PutObject", { bucketName: "b", key: "a/b/c.txt" });
  assert.deepEqual(resolver.resolve(put, ["s3:PutObject"])[0]?.resources, ["arn:aws:s3:::b/*"]);
});

Deno.test("ResourceResolver: a required type the record does not name is granted type-wide, with the names it has", () => {
  const catalog: ResourceCatalog = {
    typesOf: () => [
      { name: "bucket", required: false, format: "arn:${Partition}:s3:::${BucketName}" },
      { name: "object", required: true, format: OBJECT },
    ],
  };
  const resolver = new ResourceResolver(catalog);
  assert.deepEqual(resolver.resolve(record("X", { bucketName: "b" }), ["s3:X"]), [
    { action: "s3:X", resources: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], outcome: "partial" },
  ]);
  assert.deepEqual(resolver.resolve(record("X", { bucketName: "b", key: "k" }), ["s3:X"])[0], {
    action: "s3:X",
    resources: ["arn:aws:s3:::b", "arn:aws:s3:::b/k"],
    outcome: "concrete",
  });
  assert.deepEqual(resolver.resolve(record("X", {}), ["s3:X"])[0]?.resources, ["*"], "nothing named: *");
});

Deno.test("ResourceResolver: a built ARN whose value does not fit its placeholder is never emitted", () => {
  const resolver = new ResourceResolver(iamResources);
  const raw = record("GenerateDataKey", { keyId: "alias/app" }, [{
    ARN: "arn:aws:kms:eu-west-1:111122223333:key/1234",
  }]);
  assert.deepEqual(resolver.resolve(raw, ["kms:GenerateDataKey"])[0]?.resources, [
    "arn:aws:kms:eu-west-1:111122223333:key/1234",
  ]);
});

Deno.test("ResourceResolver keeps plans for actions IAM knows only; long action names are answered, not cached", () => {
  const resolver = new ResourceResolver(iamResources, "precise");
  const raw = { awsRegion: "us-east-1", recipientAccountId: "123456789012", requestParameters: { bucketName: "b" } };
  assert.deepEqual(resolver.resolve(raw, ["s3:GetBucketPolicy"])[0]!.resources, ["arn:aws:s3:::b"]);
  const held = resolver.plansHeld;
  const typesBefore = cachedActionTypes();
  for (let i = 0; i < 1000; i++) {
    const [unknown] = resolver.resolve(raw, [`s3:NoSuchCall${i}${"x".repeat(1000)}`]);
    assert.deepEqual(unknown, { action: `s3:NoSuchCall${i}${"x".repeat(1000)}`, resources: ["*"], outcome: "no-arn" });
  }
  assert.equal(resolver.plansHeld, held, "no plan per unknown action");
  assert.ok(cachedActionTypes().chars - typesBefore.chars < 1000, "no long action name kept");
});

Deno.test("ResourceResolver: an action IAM knows followed by ':' and anything (a record's eventName) is unknown, and keeps no plan", () => {
  const resolver = new ResourceResolver(iamResources, "precise");
  const raw = { awsRegion: "us-east-1", recipientAccountId: "123456789012", requestParameters: { bucketName: "b" } };
  assert.equal(iamResources.typesOf("s3:GetBucketPolicy:x"), undefined);
  const held = resolver.plansHeld;
  for (let i = 0; i < 1000; i++) {
    const [result] = resolver.resolve(raw, [`s3:GetBucketPolicy:${i}`]);
    assert.deepEqual(result, { action: `s3:GetBucketPolicy:${i}`, resources: ["*"], outcome: "no-arn" });
  }
  assert.equal(resolver.plansHeld, held, "no plan per made-up action");
});
