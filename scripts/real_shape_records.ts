// deno-lint-ignore-file no-console
/**
 * CloudTrail records in the parameter shapes real traffic has, for the calls attack simulations and labs make
 * in iam, secretsmanager, s3, logs, cloudtrail, rds, lambda and ec2: member names and nesting as CloudTrail logs them
 * (RDS `dBInstanceIdentifier`, Lambda functions named by name, partial ARN, ARN and with qualifiers, trails by name
 * and ARN, EC2 `instancesSet.items[]`, RunInstances with its response). What `deno task arn-coverage` measures
 * `--resources` on; written by hand from CloudTrail's documented examples, not from the service models the tables
 * are generated from.
 *
 * Run: deno run --allow-write scripts/real_shape_records.ts DIR   (writes DIR/real_shapes.jsonl, a log dir)
 */

const A = "111122223333";
const OTHER = "444455556666";
const R = "us-east-1";
type Call = [source: string, name: string, request: unknown, response?: unknown, resources?: unknown[]];

const fn = (name: string, region = R, account = A) => `arn:aws:lambda:${region}:${account}:function:${name}`;
const trail = (name: string) => `arn:aws:cloudtrail:${R}:${A}:trail/${name}`;
const secret = (name: string) => `arn:aws:secretsmanager:${R}:${A}:secret:${name}-AbCdEf`;

const IAM: Call[] = [
  ["iam", "CreateUser", { userName: "backdoor" }, { user: { arn: `arn:aws:iam::${A}:user/backdoor`, path: "/" } }],
  ["iam", "CreateAccessKey", { userName: "backdoor" }, { accessKey: { userName: "backdoor", status: "Active" } }],
  ["iam", "AttachUserPolicy", { userName: "backdoor", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }],
  ["iam", "CreateLoginProfile", { userName: "backdoor", passwordResetRequired: false }],
  ["iam", "UpdateLoginProfile", { userName: "alice" }],
  ["iam", "ListAttachedUserPolicies", { userName: "alice" }],
  ["iam", "ListUserPolicies", { userName: "alice" }],
  ["iam", "ListGroupsForUser", { userName: "alice" }],
  ["iam", "GetUser", { userName: "alice" }],
  ["iam", "ListAccessKeys", { userName: "alice" }],
  ["iam", "DeleteAccessKey", { userName: "alice", accessKeyId: "AKIAEXAMPLE" }],
  ["iam", "AddUserToGroup", { groupName: "admins", userName: "backdoor" }],
  ["iam", "PutUserPolicy", { userName: "backdoor", policyName: "inline", policyDocument: "{}" }],
  ["iam", "CreateRole", { roleName: "exfil", path: "/service-role/", assumeRolePolicyDocument: "{}" }, {
    role: { arn: `arn:aws:iam::${A}:role/service-role/exfil`, roleName: "exfil" },
  }],
  ["iam", "AttachRolePolicy", { roleName: "exfil", policyArn: `arn:aws:iam::${A}:policy/ops/read` }],
  ["iam", "PutRolePolicy", { roleName: "exfil", policyName: "p", policyDocument: "{}" }],
  ["iam", "UpdateAssumeRolePolicy", { roleName: "ci-deploy", policyDocument: "{}" }],
  ["iam", "GetRole", { roleName: "ci-deploy" }],
  ["iam", "ListRolePolicies", { roleName: "ci-deploy" }],
  ["iam", "ListAttachedRolePolicies", { roleName: "ci-deploy" }],
  ["iam", "DeleteRole", { roleName: "exfil" }],
  ["iam", "TagRole", { roleName: "ci-deploy", tags: [{ key: "k", value: "v" }] }],
  ["iam", "CreatePolicyVersion", { policyArn: `arn:aws:iam::${A}:policy/ops/read`, setAsDefault: true }],
  ["iam", "GetPolicyVersion", { policyArn: `arn:aws:iam::${A}:policy/ops/read`, versionId: "v2" }],
  ["iam", "DeletePolicy", { policyArn: `arn:aws:iam::${A}:policy/old` }],
  ["iam", "CreateInstanceProfile", { instanceProfileName: "ec2-admin" }],
  ["iam", "AddRoleToInstanceProfile", { instanceProfileName: "ec2-admin", roleName: "exfil" }],
  ["iam", "DeleteUser", { userName: "backdoor" }],
  ["iam", "ListUsers", null],
  ["iam", "GetAccountAuthorizationDetails", { filter: ["User", "Role"] }],
];

const SECRETS: Call[] = [
  ["secretsmanager", "GetSecretValue", { secretId: "prod/db" }],
  ["secretsmanager", "GetSecretValue", { secretId: secret("prod/api") }],
  ["secretsmanager", "GetSecretValue", { secretId: `arn:aws:secretsmanager:${R}:${A}:secret:prod/api` }],
  ["secretsmanager", "GetSecretValue", { secretId: "prod/db", versionStage: "AWSCURRENT" }],
  ["secretsmanager", "DescribeSecret", { secretId: "prod/db" }],
  ["secretsmanager", "DescribeSecret", { secretId: secret("prod/api") }],
  ["secretsmanager", "CreateSecret", { name: "stolen", clientRequestToken: "t" }, {
    aRN: secret("stolen"),
    name: "stolen",
  }],
  ["secretsmanager", "PutSecretValue", { secretId: "stolen", clientRequestToken: "t" }, {
    aRN: secret("stolen"),
    name: "stolen",
  }],
  ["secretsmanager", "DeleteSecret", { secretId: "prod/db", recoveryWindowInDays: 7 }],
  ["secretsmanager", "PutResourcePolicy", { secretId: "prod/db", resourcePolicy: "{}" }],
  ["secretsmanager", "GetResourcePolicy", { secretId: "prod/db" }],
  ["secretsmanager", "RotateSecret", { secretId: secret("prod/api") }],
  ["secretsmanager", "TagResource", { secretId: "prod/db", tags: [{ key: "k", value: "v" }] }],
  ["secretsmanager", "UpdateSecret", { secretId: "prod/db", kmsKeyId: "alias/x" }],
  ["secretsmanager", "ListSecretVersionIds", { secretId: "prod/db" }],
  ["secretsmanager", "ListSecrets", { maxResults: 100 }],
];

const S3: Call[] = [
  ["s3", "GetObject", { bucketName: "reports", key: "2024/q1.csv", Host: "reports.s3.amazonaws.com" }, null, [
    { type: "AWS::S3::Object", ARN: "arn:aws:s3:::reports/2024/q1.csv" },
    { type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::reports" },
  ]],
  ["s3", "PutObject", { bucketName: "reports", key: "out/x.bin", Host: "reports.s3.amazonaws.com" }],
  ["s3", "DeleteObject", { bucketName: "reports", key: "2024/q1.csv" }],
  ["s3", "ListObjects", { bucketName: "reports", prefix: "", "list-type": "2" }],
  ["s3", "GetBucketPolicy", { bucketName: "reports", policy: "" }],
  ["s3", "PutBucketPolicy", { bucketName: "reports", bucketPolicy: {} }],
  ["s3", "DeleteBucketPolicy", { bucketName: "reports" }],
  ["s3", "GetBucketAcl", { bucketName: "reports", acl: "" }],
  ["s3", "PutBucketAcl", { bucketName: "reports", acl: "", AccessControlPolicy: {} }],
  ["s3", "GetBucketLogging", { bucketName: "reports", logging: "" }],
  ["s3", "PutBucketVersioning", { bucketName: "reports", VersioningConfiguration: { Status: "Suspended" } }],
  ["s3", "PutBucketLifecycle", { bucketName: "reports", LifecycleConfiguration: {} }],
  ["s3", "PutBucketPublicAccessBlock", { bucketName: "reports", PublicAccessBlockConfiguration: {} }],
  ["s3", "GetBucketVersioning", { bucketName: "reports", versioning: "" }],
  ["s3", "CreateBucket", { bucketName: "exfil-drop", CreateBucketConfiguration: {} }],
  ["s3", "DeleteBucket", { bucketName: "exfil-drop" }],
  ["s3", "ListBuckets", { Host: "s3.amazonaws.com" }],
];

const LOGS: Call[] = [
  ["logs", "CreateLogGroup", { logGroupName: "/attack/x" }],
  ["logs", "DeleteLogGroup", { logGroupName: "/aws/lambda/resize" }],
  ["logs", "DeleteLogStream", { logGroupName: "/aws/lambda/resize", logStreamName: "2024/03/01/[$LATEST]abc" }],
  ["logs", "DescribeLogStreams", { logGroupName: "/aws/lambda/resize", descending: true }],
  ["logs", "GetLogEvents", { logGroupName: "/aws/lambda/resize", logStreamName: "2024/03/01/[$LATEST]abc" }],
  ["logs", "GetLogEvents", {
    logGroupIdentifier: `arn:aws:logs:${R}:${A}:log-group:/aws/lambda/resize`,
    logStreamName: "s1",
  }],
  ["logs", "FilterLogEvents", { logGroupName: "/aws/lambda/resize", filterPattern: "ERROR" }],
  ["logs", "PutRetentionPolicy", { logGroupName: "/aws/lambda/resize", retentionInDays: 1 }],
  ["logs", "DeleteRetentionPolicy", { logGroupName: "/aws/lambda/resize" }],
  ["logs", "CreateLogStream", { logGroupName: "/attack/x", logStreamName: "s" }],
  ["logs", "PutSubscriptionFilter", {
    logGroupName: "/aws/lambda/resize",
    filterName: "f",
    destinationArn: `arn:aws:lambda:${R}:${OTHER}:function:sink`,
  }],
  ["logs", "DeleteSubscriptionFilter", { logGroupName: "/aws/lambda/resize", filterName: "f" }],
  ["logs", "DescribeLogGroups", { logGroupNamePrefix: "/aws" }],
];

const CLOUDTRAIL: Call[] = [
  ["cloudtrail", "StopLogging", { name: "management" }],
  ["cloudtrail", "StopLogging", { name: trail("management") }],
  ["cloudtrail", "StartLogging", { name: trail("management") }],
  ["cloudtrail", "DeleteTrail", { name: "management" }],
  ["cloudtrail", "DeleteTrail", { name: trail("org-trail") }],
  ["cloudtrail", "UpdateTrail", { name: "management", s3BucketName: "elsewhere", isMultiRegionTrail: false }, {
    name: "management",
    trailARN: trail("management"),
  }],
  ["cloudtrail", "PutEventSelectors", {
    trailName: "management",
    eventSelectors: [{ readWriteType: "ReadOnly", includeManagementEvents: false }],
  }, { trailARN: trail("management") }],
  ["cloudtrail", "PutEventSelectors", { trailName: trail("management"), advancedEventSelectors: [] }],
  ["cloudtrail", "GetEventSelectors", { trailName: "management" }],
  ["cloudtrail", "GetTrailStatus", { name: "management" }],
  ["cloudtrail", "GetTrailStatus", { name: trail("org-trail") }],
  ["cloudtrail", "GetTrail", { name: "management" }],
  ["cloudtrail", "CreateTrail", { name: "shadow", s3BucketName: "drop" }, {
    name: "shadow",
    trailARN: trail("shadow"),
  }],
  ["cloudtrail", "PutInsightSelectors", { trailName: "management", insightSelectors: [] }],
  ["cloudtrail", "AddTags", { resourceId: trail("management"), tagsList: [] }],
  ["cloudtrail", "DescribeTrails", { trailNameList: [], includeShadowTrails: true }],
  ["cloudtrail", "LookupEvents", { maxResults: 50 }],
];

const RDS: Call[] = [
  ["rds", "DescribeDBInstances", { dBInstanceIdentifier: "prod-db" }],
  ["rds", "ModifyDBInstance", { dBInstanceIdentifier: "prod-db", applyImmediately: true, masterUserPassword: "***" }],
  ["rds", "RebootDBInstance", { dBInstanceIdentifier: "prod-db" }],
  ["rds", "StopDBInstance", { dBInstanceIdentifier: "prod-db" }],
  ["rds", "DeleteDBInstance", { dBInstanceIdentifier: "prod-db", skipFinalSnapshot: true }],
  ["rds", "CreateDBSnapshot", { dBSnapshotIdentifier: "exfil-snap", dBInstanceIdentifier: "prod-db" }, {
    dBSnapshotArn: `arn:aws:rds:${R}:${A}:snapshot:exfil-snap`,
  }],
  ["rds", "ModifyDBSnapshotAttribute", {
    dBSnapshotIdentifier: "exfil-snap",
    attributeName: "restore",
    valuesToAdd: [OTHER],
  }],
  ["rds", "DescribeDBSnapshots", { dBSnapshotIdentifier: "exfil-snap" }],
  ["rds", "DeleteDBSnapshot", { dBSnapshotIdentifier: "exfil-snap" }],
  ["rds", "CopyDBSnapshot", {
    sourceDBSnapshotIdentifier: `arn:aws:rds:${R}:${A}:snapshot:rds:prod-db-2024-03-01`,
    targetDBSnapshotIdentifier: "copy-1",
  }],
  ["rds", "RestoreDBInstanceFromDBSnapshot", {
    dBInstanceIdentifier: "restored",
    dBSnapshotIdentifier: "exfil-snap",
    dBSubnetGroupName: "default-vpc",
  }],
  ["rds", "DescribeDBClusters", { dBClusterIdentifier: "aurora-prod" }],
  ["rds", "ModifyDBCluster", { dBClusterIdentifier: "aurora-prod", applyImmediately: true }],
  ["rds", "CreateDBClusterSnapshot", { dBClusterSnapshotIdentifier: "c-snap", dBClusterIdentifier: "aurora-prod" }],
  ["rds", "ModifyDBClusterSnapshotAttribute", {
    dBClusterSnapshotIdentifier: "c-snap",
    attributeName: "restore",
    valuesToAdd: ["all"],
  }],
  ["rds", "DeleteDBCluster", { dBClusterIdentifier: "aurora-prod", skipFinalSnapshot: true }],
  ["rds", "CreateDBParameterGroup", {
    dBParameterGroupName: "weak",
    dBParameterGroupFamily: "mysql8.0",
    description: "d",
  }],
  ["rds", "ModifyDBParameterGroup", { dBParameterGroupName: "weak", parameters: [{ parameterName: "x" }] }],
  ["rds", "CreateDBSubnetGroup", { dBSubnetGroupName: "public", dBSubnetGroupDescription: "d", subnetIds: ["s-1"] }],
  ["rds", "DeleteDBSubnetGroup", { dBSubnetGroupName: "public" }],
  ["rds", "CreateDBClusterParameterGroup", {
    dBClusterParameterGroupName: "cpg",
    dBParameterGroupFamily: "aurora-mysql8.0",
    description: "d",
  }],
  ["rds", "AddTagsToResource", { resourceName: `arn:aws:rds:${R}:${A}:db:prod-db`, tags: [] }],
  ["rds", "ListTagsForResource", { resourceName: `arn:aws:rds:${R}:${A}:db:prod-db` }],
  ["rds", "CreateDBInstance", {
    dBInstanceIdentifier: "new-db",
    dBInstanceClass: "db.t3.micro",
    engine: "mysql",
    dBSubnetGroupName: "public",
    dBParameterGroupName: "weak",
    publiclyAccessible: true,
  }],
  ["rds", "DescribeDBEngineVersions", { engine: "mysql" }],
];

const LAMBDA: Call[] = [
  ["lambda", "Invoke", { functionName: fn("resize"), invocationType: "RequestResponse" }, null, [
    { type: "AWS::Lambda::Function", ARN: fn("resize") },
  ]],
  ["lambda", "GetFunction20150331v2", { functionName: "resize" }],
  ["lambda", "GetFunction20150331v2", { functionName: fn("resize") }],
  ["lambda", "GetFunction20150331v2", { functionName: `${A}:function:resize` }],
  ["lambda", "GetFunction20150331v2", { functionName: "resize:prod" }],
  ["lambda", "GetFunctionConfiguration20150331v2", { functionName: "resize", qualifier: "$LATEST" }],
  ["lambda", "GetFunctionConfiguration20150331v2", { functionName: `${fn("resize")}:7` }],
  ["lambda", "UpdateFunctionCode20150331v2", { functionName: "resize", publish: true }, {
    functionArn: fn("resize"),
  }],
  ["lambda", "UpdateFunctionConfiguration20150331v2", { functionName: fn("resize"), environment: {} }],
  ["lambda", "CreateFunction20150331", {
    functionName: "backdoor",
    runtime: "python3.12",
    role: `arn:aws:iam::${A}:role/exfil`,
    handler: "h",
  }, { functionName: "backdoor", functionArn: fn("backdoor") }],
  ["lambda", "AddPermission20150331v2", {
    functionName: "backdoor",
    statementId: "s",
    action: "lambda:InvokeFunction",
    principal: "*",
  }],
  ["lambda", "AddPermission20150331v2", {
    functionName: fn("resize"),
    statementId: "s",
    action: "lambda:InvokeFunction",
    principal: OTHER,
    qualifier: "live",
  }],
  ["lambda", "GetPolicy20150331v2", { functionName: "resize" }],
  ["lambda", "RemovePermission20150331v2", { functionName: "resize", statementId: "s" }],
  ["lambda", "DeleteFunction20150331", { functionName: "backdoor" }],
  ["lambda", "ListVersionsByFunction20150331", { functionName: "resize" }],
  ["lambda", "CreateAlias20150331", { functionName: "resize", name: "live", functionVersion: "7" }],
  ["lambda", "PublishVersion20150331", { functionName: `${A}:function:resize` }],
  ["lambda", "ListTags20170331", { resource: fn("resize") }],
  ["lambda", "TagResource20170331", { resource: fn("resize"), tags: {} }],
  ["lambda", "GetFunctionUrlConfig", { functionName: "resize" }],
  ["lambda", "CreateFunctionUrlConfig", { functionName: "resize", authType: "NONE" }],
  ["lambda", "PutFunctionConcurrency20171031", { functionName: "resize", reservedConcurrentExecutions: 0 }],
  ["lambda", "CreateEventSourceMapping20150331", {
    functionName: "resize",
    eventSourceArn: `arn:aws:sqs:${R}:${A}:jobs`,
  }],
  ["lambda", "ListFunctions20150331", null],
];

const RUN_INSTANCES: Call = [
  "ec2",
  "RunInstances",
  {
    instancesSet: { items: [{ imageId: "ami-0abc", minCount: 1, maxCount: 1, keyName: "attacker" }] },
    groupSet: { items: [{ groupId: "sg-0web" }] },
    instanceType: "t3.micro",
    blockDeviceMapping: {},
    monitoring: { enabled: false },
    subnetId: "subnet-0a",
    disableApiTermination: false,
    clientToken: "c",
  },
  {
    reservationId: "r-1",
    ownerId: A,
    groupSet: {},
    instancesSet: {
      items: [{
        instanceId: "i-0new",
        imageId: "ami-0abc",
        subnetId: "subnet-0a",
        vpcId: "vpc-1",
        keyName: "attacker",
        groupSet: { items: [{ groupId: "sg-0web", groupName: "web" }] },
        networkInterfaceSet: { items: [{ networkInterfaceId: "eni-0new", subnetId: "subnet-0a" }] },
      }],
    },
  },
];

const EC2: Call[] = [
  RUN_INSTANCES,
  // A launch template, and a launch into the default VPC: the subnet and group are in the response only.
  ["ec2", "RunInstances", {
    instancesSet: { items: [{ minCount: 1, maxCount: 1 }] },
    launchTemplate: { launchTemplateId: "lt-0a", version: "3" },
  }, {
    instancesSet: {
      items: [{
        instanceId: "i-0lt",
        imageId: "ami-0lt",
        subnetId: "subnet-0b",
        groupSet: { items: [{ groupId: "sg-0default" }] },
      }],
    },
  }],
  ["ec2", "StopInstances", { instancesSet: { items: [{ instanceId: "i-0abc" }] }, force: false }],
  ["ec2", "StartInstances", { instancesSet: { items: [{ instanceId: "i-0abc" }, { instanceId: "i-0def" }] } }],
  ["ec2", "TerminateInstances", { instancesSet: { items: [{ instanceId: "i-0abc" }] } }],
  ["ec2", "ModifyInstanceAttribute", { instanceId: "i-0abc", userData: "<sensitiveDataRemoved>" }],
  ["ec2", "GetPasswordData", { instanceId: "i-0abc" }],
  ["ec2", "GetConsoleOutput", { instanceId: "i-0abc" }],
  ["ec2", "AuthorizeSecurityGroupIngress", { groupId: "sg-0web", ipPermissions: { items: [] } }],
  ["ec2", "RevokeSecurityGroupIngress", { groupId: "sg-0web", ipPermissions: { items: [] } }],
  ["ec2", "DeleteSecurityGroup", { groupId: "sg-0old" }],
  ["ec2", "ModifySnapshotAttribute", {
    snapshotId: "snap-0a",
    createVolumePermission: { add: { items: [{ userId: OTHER }] } },
    attributeType: "CREATE_VOLUME_PERMISSION",
  }],
  ["ec2", "ModifyImageAttribute", { imageId: "ami-0abc", launchPermission: { add: { items: [{ group: "all" }] } } }],
  ["ec2", "AttachVolume", { volumeId: "vol-0a", instanceId: "i-0abc", device: "/dev/sdf" }],
  ["ec2", "DeleteVolume", { volumeId: "vol-0a" }],
  ["ec2", "DeleteKeyPair", { keyName: "old" }],
  ["ec2", "DescribeInstances", { instancesSet: {}, filterSet: {} }],
  ["ec2", "DescribeSecurityGroups", { securityGroupSet: {}, filterSet: {} }],
];

/** Every call of the corpus, as raw CloudTrail records. */
export function realShapeRecords(): Record<string, unknown>[] {
  const calls = [...IAM, ...SECRETS, ...S3, ...LOGS, ...CLOUDTRAIL, ...RDS, ...LAMBDA, ...EC2];
  return calls.map(([source, eventName, requestParameters, responseElements, resources], i) => ({
    eventVersion: "1.09",
    userIdentity: {
      type: "AssumedRole",
      arn: `arn:aws:sts::${A}:assumed-role/attacker/s`,
      accountId: A,
      sessionContext: { sessionIssuer: { type: "Role", arn: `arn:aws:iam::${A}:role/attacker` } },
    },
    eventTime: `2024-03-01T10:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z`,
    eventSource: `${source}.amazonaws.com`,
    eventName,
    awsRegion: source === "iam" ? "us-east-1" : R,
    sourceIPAddress: "203.0.113.7",
    userAgent: "aws-cli/2.15.0",
    requestParameters,
    responseElements: responseElements ?? null,
    ...(resources ? { resources } : {}),
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    readOnly: /^(Get|List|Describe)/.test(eventName),
    eventType: "AwsApiCall",
    managementEvent: !["GetObject", "PutObject", "DeleteObject", "Invoke"].includes(eventName),
    recipientAccountId: A,
  }));
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (!dir) {
    console.error("usage: real_shape_records.ts DIR");
    Deno.exit(2);
  }
  await Deno.mkdir(dir, { recursive: true });
  const lines = realShapeRecords().map((r) => JSON.stringify(r)).join("\n") + "\n";
  await Deno.writeTextFile(`${dir}/real_shapes.jsonl`, lines);
  console.error(`Wrote ${dir}/real_shapes.jsonl`);
}
