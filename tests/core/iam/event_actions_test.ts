import assert from "node:assert/strict";
import { eventActions } from "../../../src/core/iam/event_actions.ts";
import { cachedPrefixes, iamPrefixFor } from "../../../src/core/iam/iam_prefix.ts";

function action(eventSource: string, eventName: string): string {
  const { prefix } = iamPrefixFor(eventSource);
  const result = eventActions(eventSource, prefix, eventName);
  assert.deepEqual(result.unknown, [], `${eventSource} ${eventName} -> ${result.actions} is unknown`);
  return result.actions.join(" ");
}

Deno.test("iamPrefixFor() keeps trailscraper's special cases", () => {
  const cases: [string, string][] = [
    ["monitoring.amazonaws.com", "cloudwatch"],
    ["appstream2.amazonaws.com", "appstream"],
    ["models.lex.amazonaws.com", "lex"],
    ["runtime.lex.amazonaws.com", "lex"],
    ["mturk-requester.amazonaws.com", "mechanicalturk"],
    ["streams.dynamodb.amazonaws.com", "dynamodb"],
    ["tagging.amazonaws.com", "tag"],
    ["autoscaling.amazonaws.com", "autoscaling"],
  ];
  for (const [source, prefix] of cases) assert.equal(iamPrefixFor(source).prefix, prefix, source);
});

Deno.test("iamPrefixFor() uses the signing name when the endpoint prefix is not an IAM prefix", () => {
  assert.equal(iamPrefixFor("api.ecr.amazonaws.com").prefix, "ecr");
  assert.equal(iamPrefixFor("email.amazonaws.com").prefix, "ses");
  assert.equal(iamPrefixFor("data-ats.iot.amazonaws.com").prefix, "iot");
  assert.equal(iamPrefixFor("data.iot.amazonaws.com").prefix, "iot");
  assert.deepEqual(iamPrefixFor("unknown.amazonaws.com"), { prefix: "unknown", known: false });
});

Deno.test("eventActions() keeps trailscraper's S3 table, KMS ReEncrypt and version-suffix rules", () => {
  assert.equal(action("s3.amazonaws.com", "ListBuckets"), "s3:ListAllMyBuckets");
  assert.equal(action("s3.amazonaws.com", "HeadObject"), "s3:GetObject");
  assert.equal(action("s3.amazonaws.com", "CopyObject"), "s3:PutObject");
  assert.equal(action("s3.amazonaws.com", "UploadPart"), "s3:PutObject");
  assert.equal(action("s3.amazonaws.com", "CreateMultipartUpload"), "s3:PutObject");
  assert.equal(action("s3.amazonaws.com", "ListObjectsV2"), "s3:ListBucket");
  assert.equal(action("s3.amazonaws.com", "HeadBucket"), "s3:ListBucket");
  assert.equal(action("s3.amazonaws.com", "PutBucketCors"), "s3:PutBucketCORS");
  assert.equal(action("s3.amazonaws.com", "DeleteBucketCors"), "s3:PutBucketCORS");
  assert.equal(action("kms.amazonaws.com", "ReEncrypt"), "kms:ReEncrypt*");
  assert.equal(action("lambda.amazonaws.com", "ListFunctions20150331"), "lambda:ListFunctions");
  assert.equal(action("lambda.amazonaws.com", "GetFunctionConfiguration20150331v2"), "lambda:GetFunctionConfiguration");
  assert.equal(action("cloudfront.amazonaws.com", "UpdateDistribution2016_11_25"), "cloudfront:UpdateDistribution");
});

Deno.test("eventActions() fixes trailscraper's invalid actions", () => {
  assert.equal(action("kafka.amazonaws.com", "ListClustersV2"), "kafka:ListClustersV2");
  assert.equal(action("datasync.amazonaws.com", "CreateLocationS3"), "datasync:CreateLocationS3");
  assert.equal(action("rds.amazonaws.com", "RestoreDBInstanceFromS3"), "rds:RestoreDBInstanceFromS3");
  assert.equal(action("cloud9.amazonaws.com", "CreateEnvironmentEC2"), "cloud9:CreateEnvironmentEC2");
  assert.equal(action("s3.amazonaws.com", "PutBucketReplication"), "s3:PutReplicationConfiguration");
  assert.equal(action("lambda.amazonaws.com", "Invoke"), "lambda:InvokeFunction");
  assert.equal(
    action("dynamodb.amazonaws.com", "TransactWriteItems"),
    "dynamodb:ConditionCheckItem dynamodb:DeleteItem dynamodb:PutItem dynamodb:UpdateItem",
  );
  assert.equal(action("s3.amazonaws.com", "CreateSession"), "s3express:CreateSession");
});

Deno.test("eventActions() keeps an unknown action, without a date suffix, and reports it", () => {
  assert.deepEqual(eventActions("new.amazonaws.com", "new", "DoThing20240101"), {
    actions: ["new:DoThing"],
    unknown: ["new:DoThing"],
  });
  assert.deepEqual(eventActions("ec2.amazonaws.com", "ec2", "NotAnApi"), {
    actions: ["ec2:NotAnApi"],
    unknown: ["ec2:NotAnApi"],
  });
});

Deno.test("iamPrefixFor answers a long event source without keeping it", () => {
  const before = cachedPrefixes();
  const long = "x".repeat(100_000) + ".amazonaws.com";
  assert.equal(iamPrefixFor(long).known, false);
  assert.ok(cachedPrefixes().chars - before.chars < 1000);
  iamPrefixFor("prefixcachetest.amazonaws.com");
  assert.equal(cachedPrefixes().entries, before.entries + 1);
});
