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

const CALLS: [string, string, string | null][] = [
  ["s3.amazonaws.com", "GetObject", "arn:aws:s3:::data-{n}/key-{m}"],
  ["s3.amazonaws.com", "PutObject", "arn:aws:s3:::data-{n}/key-{m}"],
  ["s3.amazonaws.com", "ListObjects", "arn:aws:s3:::data-{n}"],
  ["s3.amazonaws.com", "HeadObject", "arn:aws:s3:::data-{n}/key-{m}"],
  ["ec2.amazonaws.com", "DescribeInstances", null],
  ["ec2.amazonaws.com", "DescribeSecurityGroups", null],
  ["ec2.amazonaws.com", "RunInstances", "arn:aws:ec2:{r}:{a}:instance/i-{m}"],
  ["kms.amazonaws.com", "Decrypt", "arn:aws:kms:{r}:{a}:key/k-{n}"],
  ["kms.amazonaws.com", "GenerateDataKey", "arn:aws:kms:{r}:{a}:key/k-{n}"],
  ["sts.amazonaws.com", "AssumeRole", "arn:aws:iam::{a}:role/role-{n}"],
  ["sts.amazonaws.com", "GetCallerIdentity", null],
  ["lambda.amazonaws.com", "GetFunctionConfiguration20150331v2", "arn:aws:lambda:{r}:{a}:function:fn-{n}"],
  ["lambda.amazonaws.com", "Invoke", "arn:aws:lambda:{r}:{a}:function:fn-{n}"],
  ["dynamodb.amazonaws.com", "DescribeTable", "arn:aws:dynamodb:{r}:{a}:table/t-{n}"],
  ["logs.amazonaws.com", "CreateLogStream", null],
  ["ssm.amazonaws.com", "GetParameter", "arn:aws:ssm:{r}:{a}:parameter/app/p-{n}"],
  ["monitoring.amazonaws.com", "PutMetricData", null],
  ["cloudformation.amazonaws.com", "DescribeStacks", null],
  ["iam.amazonaws.com", "GetRole", "arn:aws:iam::{a}:role/role-{n}"],
  ["apigateway.amazonaws.com", "GetRestApis", null],
];

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
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  // Random identifiers as in real logs (request and event IDs, keys, IPs), so the
  // files compress about as well as real CloudTrail (~8x), not far better.
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const upper = (n: number) =>
    Array.from({ length: n }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[Math.floor(rand() * 32)]).join("");
  for (let i = 0; i < count; i++) {
    const [eventSource, eventName, arnTemplate] = pick(CALLS);
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
      requestParameters: {
        name: `resource-${n}`,
        maxResults: 100,
        filters: [{ name: "tag:team", values: ["platform"] }],
      },
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
      const arn = arnTemplate.replace("{n}", String(n)).replace("{m}", String(n % 7)).replace("{r}", region).replace(
        "{a}",
        account,
      );
      record.resources = [{ ARN: arn, accountId: account, type: "AWS::Resource" }, {
        accountId: account,
        type: "AWS::NoArn",
      }];
    }
    yield record;
  }
}
