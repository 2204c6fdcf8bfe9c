/**
 * Deterministic, realistic CloudTrail records for tests and benchmarks: a seeded
 * generator of AssumedRole / IAMUser / AWSService / Root calls across common
 * services, with resources (some without ARN), requestParameters and errors.
 */

/** A small fast seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A call: event source, event name, the ARN CloudTrail lists in resources[] (if any), requestParameters. */
type Call = [string, string, string | null, string];

// Request parameters as CloudTrail logs them for each call ({n}: resource number, {m}: n % 7, {r}: region,
// {a}: account), so `generate --resources` sees what it would see in real logs.
const CLASSIC_CALLS: Call[] = [
  [
    "s3.amazonaws.com",
    "GetObject",
    "arn:aws:s3:::data-{n}/key-{m}",
    '{"bucketName":"data-{n}","Host":"data-{n}.s3.{r}.amazonaws.com","key":"key-{m}"}',
  ],
  [
    "s3.amazonaws.com",
    "PutObject",
    "arn:aws:s3:::data-{n}/key-{m}",
    '{"bucketName":"data-{n}","Host":"data-{n}.s3.{r}.amazonaws.com","key":"key-{m}"}',
  ],
  [
    "s3.amazonaws.com",
    "ListObjects",
    "arn:aws:s3:::data-{n}",
    '{"bucketName":"data-{n}","Host":"data-{n}.s3.{r}.amazonaws.com","prefix":"logs/","list-type":"2"}',
  ],
  [
    "s3.amazonaws.com",
    "HeadObject",
    "arn:aws:s3:::data-{n}/key-{m}",
    '{"bucketName":"data-{n}","Host":"data-{n}.s3.{r}.amazonaws.com","key":"key-{m}"}',
  ],
  [
    "ec2.amazonaws.com",
    "DescribeInstances",
    null,
    '{"instancesSet":{},"filterSet":{"items":[{"name":"tag:team","valueSet":{"items":[{"value":"platform"}]}}]},"maxResults":100}',
  ],
  [
    "ec2.amazonaws.com",
    "DescribeSecurityGroups",
    null,
    '{"securityGroupSet":{},"securityGroupIdSet":{},"filterSet":{}}',
  ],
  [
    "ec2.amazonaws.com",
    "RunInstances",
    "arn:aws:ec2:{r}:{a}:instance/i-{m}",
    '{"instancesSet":{"items":[{"imageId":"ami-{n}","minCount":1,"maxCount":1}]},"instanceType":"t3.micro","subnetId":"subnet-{m}"}',
  ],
  [
    "kms.amazonaws.com",
    "Decrypt",
    "arn:aws:kms:{r}:{a}:key/k-{n}",
    '{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","encryptionContext":{"aws:s3:arn":"arn:aws:s3:::data-{n}/key-{m}"}}',
  ],
  [
    "kms.amazonaws.com",
    "GenerateDataKey",
    "arn:aws:kms:{r}:{a}:key/k-{n}",
    '{"keyId":"alias/app-{n}","keySpec":"AES_256"}',
  ],
  [
    "sts.amazonaws.com",
    "AssumeRole",
    "arn:aws:iam::{a}:role/role-{n}",
    '{"roleArn":"arn:aws:iam::{a}:role/role-{n}","roleSessionName":"session-{m}","durationSeconds":3600}',
  ],
  ["sts.amazonaws.com", "GetCallerIdentity", null, "null"],
  [
    "lambda.amazonaws.com",
    "GetFunctionConfiguration20150331v2",
    "arn:aws:lambda:{r}:{a}:function:fn-{n}",
    '{"functionName":"fn-{n}"}',
  ],
  [
    "lambda.amazonaws.com",
    "Invoke",
    "arn:aws:lambda:{r}:{a}:function:fn-{n}",
    '{"functionName":"arn:aws:lambda:{r}:{a}:function:fn-{n}","invocationType":"RequestResponse"}',
  ],
  ["dynamodb.amazonaws.com", "DescribeTable", "arn:aws:dynamodb:{r}:{a}:table/t-{n}", '{"tableName":"t-{n}"}'],
  [
    "logs.amazonaws.com",
    "CreateLogStream",
    null,
    '{"logGroupName":"/aws/lambda/fn-{n}","logStreamName":"2024/03/01/[$LATEST]{m}"}',
  ],
  [
    "ssm.amazonaws.com",
    "GetParameter",
    "arn:aws:ssm:{r}:{a}:parameter/app/p-{n}",
    '{"name":"/app/p-{n}","withDecryption":true}',
  ],
  [
    "monitoring.amazonaws.com",
    "PutMetricData",
    null,
    '{"namespace":"App","metricData":[{"metricName":"latency","value":12,"unit":"Milliseconds"}]}',
  ],
  ["cloudformation.amazonaws.com", "DescribeStacks", null, '{"stackName":"stack-{n}"}'],
  ["iam.amazonaws.com", "GetRole", "arn:aws:iam::{a}:role/role-{n}", '{"roleName":"role-{n}"}'],
  ["apigateway.amazonaws.com", "GetRestApis", null, '{"limit":500}'],
];

/** More services: what `generate --resources` coverage is measured on (`--calls wide`). */
const WIDE_CALLS: Call[] = [
  ...CLASSIC_CALLS,
  [
    "sqs.amazonaws.com",
    "SendMessage",
    "arn:aws:sqs:{r}:{a}:q-{n}",
    '{"queueUrl":"https://sqs.{r}.amazonaws.com/{a}/q-{n}","messageBody":"HIDDEN_DUE_TO_SECURITY_REASONS"}',
  ],
  [
    "sqs.amazonaws.com",
    "ReceiveMessage",
    "arn:aws:sqs:{r}:{a}:q-{n}",
    '{"queueUrl":"https://sqs.{r}.amazonaws.com/{a}/q-{n}","maxNumberOfMessages":10}',
  ],
  [
    "sns.amazonaws.com",
    "Publish",
    "arn:aws:sns:{r}:{a}:topic-{n}",
    '{"topicArn":"arn:aws:sns:{r}:{a}:topic-{n}","message":"HIDDEN_DUE_TO_SECURITY_REASONS"}',
  ],
  ["secretsmanager.amazonaws.com", "GetSecretValue", null, '{"secretId":"app/secret-{n}"}'],
  [
    "ecr.amazonaws.com",
    "BatchGetImage",
    null,
    '{"repositoryName":"team/repo-{n}","registryId":"{a}","imageIds":[{"imageTag":"latest"}]}',
  ],
  ["ecr.amazonaws.com", "GetAuthorizationToken", null, '{"registryIds":["{a}"]}'],
  [
    "dynamodb.amazonaws.com",
    "PutItem",
    "arn:aws:dynamodb:{r}:{a}:table/t-{n}",
    '{"tableName":"t-{n}","key":{"id":"HIDDEN_DUE_TO_SECURITY_REASONS"}}',
  ],
  [
    "dynamodb.amazonaws.com",
    "Query",
    "arn:aws:dynamodb:{r}:{a}:table/t-{n}",
    '{"tableName":"t-{n}","indexName":"by-{m}","select":"ALL_ATTRIBUTES"}',
  ],
  [
    "logs.amazonaws.com",
    "PutLogEvents",
    null,
    '{"logGroupName":"/aws/lambda/fn-{n}","logStreamName":"2024/03/01/[$LATEST]{m}"}',
  ],
  ["iam.amazonaws.com", "GetRolePolicy", null, '{"roleName":"role-{n}","policyName":"inline"}'],
  ["ssm.amazonaws.com", "GetParametersByPath", null, '{"path":"/app/","recursive":true}'],
  ["ec2.amazonaws.com", "StopInstances", null, '{"instancesSet":{"items":[{"instanceId":"i-{n}"}]},"force":false}'],
];

const fill = (template: string, v: Record<string, string>) =>
  template.replace(/\{([nmra])\}/g, (_, k: string) => v[k]!);

const REGIONS = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"];

/** Options of {@link synthRecords}. */
export interface SynthOptions {
  seed?: number;
  /** Account IDs to spread records over. */
  accounts?: string[];
  /** Regions to spread records over. */
  regions?: string[];
  /** Assumed-role ARNs callers use; the rest are IAM users, services and root. */
  roles?: string[];
  /** First event time (epoch ms) and the step between events. */
  start?: number;
  stepMs?: number;
  /** How many distinct resources per call kind (fewer = more merging). */
  distinctResources?: number;
  /** `classic` (20 calls, the bundled sample logs) or `wide` (32 calls over 13 services). */
  calls?: "classic" | "wide";
}

/** `count` records as plain objects, deterministic for a given seed. */
export function* synthRecords(count: number, options: SynthOptions = {}): Generator<Record<string, unknown>> {
  const rand = seededRandom(options.seed ?? 1);
  const accounts = options.accounts ?? ["111122223333", "444455556666"];
  const regions = options.regions ?? REGIONS;
  const roles = options.roles ?? ["arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/ci-deploy"];
  const start = options.start ?? Date.UTC(2024, 2, 1);
  const step = options.stepMs ?? 1000;
  const distinct = options.distinctResources ?? 50;
  const calls = options.calls === "wide" ? WIDE_CALLS : CLASSIC_CALLS;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  // Random identifiers as in real logs (request and event IDs, keys, IPs), so the
  // files compress about as well as real CloudTrail (~8x), not far better.
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const upper = (n: number) =>
    Array.from({ length: n }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[Math.floor(rand() * 32)]).join("");
  for (let i = 0; i < count; i++) {
    const [eventSource, eventName, arnTemplate, paramsTemplate] = pick(calls);
    const account = pick(accounts);
    const region = pick(regions);
    const kind = rand();
    const role = pick(roles);
    const userIdentity = kind < 0.7
      ? {
        type: "AssumedRole",
        principalId: `AROA${upper(17)}:session-${hex(8)}`,
        arn: role.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + `/session-${hex(8)}`,
        accountId: account,
        accessKeyId: `ASIA${upper(16)}`,
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: `AROA${i % 97}`,
            arn: role,
            accountId: account,
            userName: role.split("/").pop(),
          },
          webIdFederationData: {},
          attributes: {
            creationDate: new Date(start + i * step - 600000).toISOString().replace(/\.\d{3}Z$/, "Z"),
            mfaAuthenticated: "false",
          },
        },
      }
      : kind < 0.85
      ? {
        type: "IAMUser",
        principalId: "AIDAEXAMPLE",
        arn: `arn:aws:iam::${account}:user/alice`,
        accountId: account,
        userName: "alice",
      }
      : kind < 0.97
      ? { type: "AWSService", invokedBy: "cloudformation.amazonaws.com" }
      : { type: "Root", principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account };
    const n = Math.floor(rand() * distinct);
    const names = { n: String(n), m: String(n % 7), r: region, a: account };
    const record: Record<string, unknown> = {
      eventVersion: "1.09",
      userIdentity,
      eventTime: new Date(start + i * step).toISOString().replace(/\.\d{3}Z$/, "Z"),
      eventSource,
      eventName,
      awsRegion: region,
      sourceIPAddress: `${Math.floor(rand() * 223) + 1}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${
        Math.floor(rand() * 256)
      }`,
      userAgent:
        "aws-sdk-java/2.20.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.8+7-LTS Java/17.0.8 vendor/Amazon.com_Inc.",
      requestParameters: JSON.parse(fill(paramsTemplate, names)),
      responseElements: null,
      requestID: uuid(),
      eventID: uuid(),
      readOnly: /^(Get|List|Describe|Head)/.test(eventName),
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: "Management",
      additionalEventData: {
        SignatureVersion: "SigV4",
        CipherSuite: "ECDHE-RSA-AES128-GCM-SHA256",
        bytesTransferredIn: 0,
        AuthenticationMethod: "AuthHeader",
        "x-amz-id-2": `${upper(40)}${hex(36)}=`,
      },
      sessionCredentialFromConsole: "false",
      tlsDetails: {
        tlsVersion: "TLSv1.3",
        cipherSuite: "TLS_AES_128_GCM_SHA256",
        clientProvidedHostHeader: eventSource.replace("amazonaws.com", `${region}.amazonaws.com`),
      },
    };
    if (rand() < 0.05) {
      Object.assign(record, {
        errorCode: "AccessDenied",
        errorMessage: "User is not authorized to perform this operation",
      });
    }
    if (arnTemplate) {
      const arn = fill(arnTemplate, names);
      record.resources = [{ ARN: arn, accountId: account, type: "AWS::Resource" }, {
        accountId: account,
        type: "AWS::NoArn",
      }];
    }
    yield record;
  }
}
