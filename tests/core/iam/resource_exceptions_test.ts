/** One test per hand-written exception of data/resource_arns.json (the rest is generated from the service models). */
import assert from "node:assert/strict";
import { iamResources } from "../../../src/core/iam/iam_resources.ts";
import { ResourceResolver } from "../../../src/core/iam/resource_arns.ts";

const resolver = new ResourceResolver(iamResources);
const A = "111122223333";
const R = "eu-west-1";
const resolve = (action: string, requestParameters: unknown, responseElements: unknown = null) =>
  resolver.resolve({ awsRegion: R, recipientAccountId: A, requestParameters, responseElements }, [action])[0]!;
const resources = (action: string, requestParameters: unknown, responseElements: unknown = null) =>
  resolve(action, requestParameters, responseElements).resources;

Deno.test("s3: CloudTrail writes the bucket as bucketName and the object as key (the model: Bucket, Key)", () => {
  assert.deepEqual(resources("s3:PutObject", { bucketName: "b", key: "a/b.txt" }), ["arn:aws:s3:::b/a/b.txt"]);
});

Deno.test("sqs: a queue URL gives the queue's name and its own account", () => {
  assert.deepEqual(resources("sqs:SendMessage", { queueUrl: "https://sqs.eu-west-1.amazonaws.com/444455556666/q" }), [
    "arn:aws:sqs:eu-west-1:444455556666:q",
  ]);
});

Deno.test("ssm: GetParametersByPath is authorised on the path; other names lose their leading slash", () => {
  assert.deepEqual(resources("ssm:GetParametersByPath", { path: "/app/" }), [
    `arn:aws:ssm:${R}:${A}:parameter/app`,
    `arn:aws:ssm:${R}:${A}:parameter/app/`,
  ]);
  assert.deepEqual(resources("ssm:GetParameter", { name: "/app/db" }), [`arn:aws:ssm:${R}:${A}:parameter/app/db`]);
});

Deno.test("ec2: instancesSet.items[], groupId and keyName are EC2's own names for instances, groups, key pairs", () => {
  assert.deepEqual(resources("ec2:StopInstances", { instancesSet: { items: [{ instanceId: "i-1" }] } }), [
    `arn:aws:ec2:${R}:${A}:instance/i-1`,
  ]);
  assert.deepEqual(resources("ec2:AuthorizeSecurityGroupIngress", { groupId: "sg-1" }), [
    `arn:aws:ec2:${R}:${A}:security-group/sg-1`,
  ]);
  assert.deepEqual(resources("ec2:DeleteKeyPair", { keyName: "k" }), [`arn:aws:ec2:${R}:${A}:key-pair/k`]);
});

Deno.test("cloudformation: a stack named without its id is granted on any id", () => {
  assert.deepEqual(resources("cloudformation:DescribeStacks", { stackName: "web" }), [
    `arn:aws:cloudformation:${R}:${A}:stack/web/*`,
  ]);
});

Deno.test("ec2:RunInstances: every resource the record names, type/* for what the call creates", () => {
  const request = {
    instancesSet: { items: [{ imageId: "ami-1", keyName: "k", minCount: 1, maxCount: 1 }] },
    groupSet: { items: [{ groupId: "sg-1" }] },
    networkInterfaceSet: { items: [{ networkInterfaceId: "eni-old", subnetId: "subnet-2" }] },
    blockDeviceMapping: { items: [{ deviceName: "/dev/sdf", ebs: { snapshotId: "snap-1" } }] },
    launchTemplate: { launchTemplateId: "lt-1", version: "2" },
  };
  const response = {
    instancesSet: {
      items: [{ instanceId: "i-new", subnetId: "subnet-1", groupSet: { items: [{ groupId: "sg-2" }] } }],
    },
  };
  assert.deepEqual(resolve("ec2:RunInstances", request, response), {
    action: "ec2:RunInstances",
    outcome: "concrete",
    resources: [
      // IAM authorises a launch on `instance/*`, `network-interface/*`, `volume/*`: the ids do not exist yet.
      `arn:aws:ec2:${R}:${A}:instance/*`,
      `arn:aws:ec2:${R}:${A}:key-pair/k`,
      `arn:aws:ec2:${R}:${A}:launch-template/lt-1`,
      `arn:aws:ec2:${R}:${A}:network-interface/*`,
      `arn:aws:ec2:${R}:${A}:network-interface/eni-old`,
      `arn:aws:ec2:${R}:${A}:security-group/sg-1`,
      `arn:aws:ec2:${R}:${A}:security-group/sg-2`,
      `arn:aws:ec2:${R}:${A}:subnet/subnet-1`,
      `arn:aws:ec2:${R}:${A}:subnet/subnet-2`,
      `arn:aws:ec2:${R}:${A}:volume/*`,
      `arn:aws:ec2:${R}::image/ami-1`,
      `arn:aws:ec2:${R}::snapshot/snap-1`,
    ],
  });
  // The instance's own ARN (resources[] of some records) adds nothing to `instance/*`.
  const listed = resolver.resolve({
    awsRegion: R,
    recipientAccountId: A,
    requestParameters: request,
    responseElements: response,
    resources: [{ ARN: `arn:aws:ec2:${R}:${A}:instance/i-new` }],
  }, ["ec2:RunInstances"])[0]!;
  assert.ok(!listed.resources.includes(`arn:aws:ec2:${R}:${A}:instance/i-new`));
  // A launch from a template into the default VPC: the image, subnet and group are in the response only.
  const fromTemplate = resources("ec2:RunInstances", { launchTemplate: { launchTemplateId: "lt-1" } }, {
    instancesSet: { items: [{ imageId: "ami-2", subnetId: "subnet-3", groupSet: { items: [{ groupId: "sg-3" }] } }] },
  });
  assert.ok(fromTemplate.includes(`arn:aws:ec2:${R}::image/ami-2`));
  assert.ok(fromTemplate.includes(`arn:aws:ec2:${R}:${A}:subnet/subnet-3`));
});

Deno.test("lambda: a function by name, partial ARN, ARN, with a qualifier in the name or beside it", () => {
  const fn = `arn:aws:lambda:${R}:${A}:function:f`;
  assert.deepEqual(resources("lambda:GetFunction", { functionName: "f" }), [fn]);
  assert.deepEqual(resources("lambda:GetFunction", { functionName: `444455556666:function:f` }), [
    `arn:aws:lambda:${R}:444455556666:function:f`,
  ]);
  assert.deepEqual(resources("lambda:GetFunction", { functionName: fn }), [fn]);
  // Lambda authorises a qualified call on the qualified ARN.
  assert.deepEqual(resources("lambda:GetFunction", { functionName: "f:live" }), [`${fn}:live`]);
  assert.deepEqual(resources("lambda:GetFunctionConfiguration", { functionName: fn, qualifier: "7" }), [`${fn}:7`]);
  assert.deepEqual(resources("lambda:GetFunction", { functionName: "f", qualifier: "$LATEST" }), [`${fn}:$LATEST`]);
  assert.deepEqual(resources("lambda:GetFunction", { functionName: "a:b:c:d" }), ["*"], "not a function name");
});

Deno.test("secretsmanager: a name or partial ARN gets IAM's six-character suffix as ??????", () => {
  const arn = `arn:aws:secretsmanager:${R}:${A}:secret:prod/db`;
  assert.deepEqual(resources("secretsmanager:GetSecretValue", { secretId: "prod/db" }), [`${arn}-??????`]);
  assert.deepEqual(resources("secretsmanager:GetSecretValue", { secretId: arn }), [`${arn}-??????`]);
  assert.deepEqual(resources("secretsmanager:GetSecretValue", { secretId: `${arn}-AbC123` }), [`${arn}-AbC123`]);
});

Deno.test("iam: a name without its path may sit at / or below a path", () => {
  assert.deepEqual(resources("iam:GetRole", { roleName: "r" }), [
    `arn:aws:iam::${A}:role/*/r`,
    `arn:aws:iam::${A}:role/r`,
  ]);
  assert.deepEqual(resources("iam:AddUserToGroup", { groupName: "g", userName: "u" }), [
    `arn:aws:iam::${A}:group/*/g`,
    `arn:aws:iam::${A}:group/g`,
  ]);
  assert.deepEqual(resources("iam:GetInstanceProfile", { instanceProfileName: "p" }), [
    `arn:aws:iam::${A}:instance-profile/*/p`,
    `arn:aws:iam::${A}:instance-profile/p`,
  ]);
  assert.deepEqual(resources("iam:GetUser", { userName: "u" }), [
    `arn:aws:iam::${A}:user/*/u`,
    `arn:aws:iam::${A}:user/u`,
  ]);
});

Deno.test("logs: a log group by ARN (logGroupIdentifier) is granted as by name", () => {
  const group = `arn:aws:logs:${R}:${A}:log-group:/app`;
  assert.deepEqual(resources("logs:FilterLogEvents", { logGroupIdentifier: group }), [`${group}:*`]);
  assert.deepEqual(resources("logs:FilterLogEvents", { logGroupName: "/app" }), [`${group}:*`]);
});

Deno.test("rds: an automated snapshot's name holds 'rds:'", () => {
  const snapshot = `arn:aws:rds:${R}:${A}:snapshot:rds:db-2024-03-01`;
  assert.deepEqual(
    resources("rds:CopyDBSnapshot", { sourceDBSnapshotIdentifier: snapshot, targetDBSnapshotIdentifier: "c" }),
    [
      `arn:aws:rds:${R}:${A}:snapshot:c`,
      snapshot,
    ],
  );
});

Deno.test("a record naming 100,000 instances costs no more than 64 of them", () => {
  const items = Array.from({ length: 100_000 }, (_, i) => ({ instanceId: `i-${i}` }));
  assert.equal(resources("ec2:StopInstances", { instancesSet: { items } }).length, 64);
});

Deno.test("a record listing 100,000 ARNs in resources[] costs no more than 200 of them, and no quadratic time", () => {
  const arns = Array.from({ length: 100_000 }, (_, i) => ({ type: "AWS::S3::Object", ARN: `arn:aws:s3:::b/k${i}` }));
  const raw = {
    awsRegion: R,
    recipientAccountId: A,
    requestParameters: { bucketName: "b", key: "k" },
    resources: arns,
  };
  const start = performance.now();
  const granted = resolver.resolve(raw, ["s3:GetObject"])[0]!.resources;
  assert.equal(granted.length, 201, "the first 200 listed and the one built from bucketName and key");
  assert.ok(granted.includes("arn:aws:s3:::b/k0") && granted.includes("arn:aws:s3:::b/k"));
  // Unbounded, the 100,000 were each looked up in the list of those found so far: 15 s here.
  assert.ok(performance.now() - start < 5_000, `${performance.now() - start} ms`);
  const unknown = resolver.resolve({ ...raw, resources: arns.map((r) => ({ ...r, ARN: `arn:aws:x:::${r.ARN}` })) }, [
    "x:Unknown",
  ])[0]!;
  assert.ok(unknown.resources.length <= 200, `${unknown.resources.length} resources`);
});
