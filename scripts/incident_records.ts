// deno-lint-ignore-file no-console
/**
 * A deterministic incident for `changes`: infrastructure changes in two regions
 * before and during an alert at 2024-03-01 10:00-10:15 UTC (a security group opened,
 * a denied attempt, an IAM policy put, scaling, a database modified, routes and
 * target groups changed), mixed with read events and untracked writes. Tests feed
 * it to the CloudTrail peer and to a log dir; the docs' sample (docs/changes.md) uses it too.
 *
 * Run: deno run --allow-write scripts/incident_records.ts DIR   (writes DIR as a CloudTrail log tree)
 */
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

/** The alert of the scenario. */
export const ALERT = { from: "2024-03-01T10:00:00Z", to: "2024-03-01T10:15:00Z" } as const;
export const ACCOUNT = "111122223333";

type Identity = Record<string, unknown>;

const alice: Identity = {
  type: "IAMUser",
  principalId: "AIDAEXAMPLEALICE",
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  userName: "alice",
};

function role(name: string, session: string): Identity {
  return {
    type: "AssumedRole",
    principalId: `AROAEXAMPLE${name.toUpperCase()}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${session}`,
    accountId: ACCOUNT,
    sessionContext: {
      sessionIssuer: { type: "Role", arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, accountId: ACCOUNT, userName: name },
    },
  };
}

const service = (name: string): Identity => ({ type: "AWSService", invokedBy: name });

interface Change {
  time: string;
  region: string;
  source: string;
  name: string;
  who: Identity;
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
  error?: string;
  readOnly?: boolean;
}

const CHANGES: Change[] = [
  {
    time: "09:20:05",
    region: "eu-west-1",
    source: "rds.amazonaws.com",
    name: "ModifyDBParameterGroup",
    who: role("dba", "bob"),
    request: { dBParameterGroupName: "main-pg" },
  },
  {
    time: "09:35:12",
    region: "eu-west-1",
    source: "ec2.amazonaws.com",
    name: "AuthorizeSecurityGroupIngress",
    who: alice,
    request: {
      groupId: "sg-0a1b2c3d",
      ipPermissions: {
        items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: "0.0.0.0/0" }] } }],
      },
    },
  },
  {
    time: "09:36:40",
    region: "eu-west-1",
    source: "ec2.amazonaws.com",
    name: "AuthorizeSecurityGroupIngress",
    who: role("ci-deploy", "pipeline-812"),
    request: { groupId: "sg-0a1b2c3d" },
    error: "Client.UnauthorizedOperation",
  },
  {
    time: "09:40:00",
    region: "us-east-1",
    source: "iam.amazonaws.com",
    name: "PutRolePolicy",
    who: role("ci-deploy", "pipeline-812"),
    request: { roleName: "app-role", policyName: "extra" },
  },
  {
    time: "09:44:30",
    region: "eu-west-1",
    source: "autoscaling.amazonaws.com",
    name: "UpdateAutoScalingGroup",
    who: role("ops", "carol"),
    request: { autoScalingGroupName: "web-asg", maxSize: 12 },
  },
  {
    time: "09:45:02",
    region: "eu-west-1",
    source: "autoscaling.amazonaws.com",
    name: "SetDesiredCapacity",
    who: role("ops", "carol"),
    request: { autoScalingGroupName: "web-asg", desiredCapacity: 10 },
  },
  {
    time: "09:46:10",
    region: "eu-west-1",
    source: "ec2.amazonaws.com",
    name: "RunInstances",
    who: service("autoscaling.amazonaws.com"),
    response: { instancesSet: { items: [{ instanceId: "i-0aa1" }, { instanceId: "i-0aa2" }] } },
  },
  {
    time: "09:50:45",
    region: "eu-west-1",
    source: "rds.amazonaws.com",
    name: "ModifyDBInstance",
    who: role("dba", "bob"),
    request: { dBInstanceIdentifier: "db-main", applyImmediately: true },
  },
  {
    time: "09:52:00",
    region: "eu-west-1",
    source: "ec2.amazonaws.com",
    name: "CreateRoute",
    who: alice,
    request: { routeTableId: "rtb-0f0f", destinationCidrBlock: "10.8.0.0/16" },
  },
  {
    time: "09:55:30",
    region: "eu-west-1",
    source: "elasticloadbalancing.amazonaws.com",
    name: "ModifyTargetGroupAttributes",
    who: role("ops", "carol"),
    request: {
      targetGroupArn: `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:targetgroup/web/73e2d6bc24d8a067`,
    },
  },
  {
    time: "10:01:15",
    region: "eu-west-1",
    source: "elasticloadbalancing.amazonaws.com",
    name: "DeregisterTargets",
    who: role("ops", "carol"),
    request: {
      targetGroupArn: `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:targetgroup/web/73e2d6bc24d8a067`,
      targets: [{ id: "i-0aa1" }],
    },
  },
  {
    time: "10:03:00",
    region: "us-east-1",
    source: "ec2.amazonaws.com",
    name: "TerminateInstances",
    who: alice,
    request: { instancesSet: { items: [{ instanceId: "i-0bb7" }] } },
  },
  {
    time: "10:05:20",
    region: "us-east-1",
    source: "s3.amazonaws.com",
    name: "PutBucketPolicy",
    who: alice,
    request: { bucketName: "app-assets", bucketPolicy: { Version: "2012-10-17" } },
  },
  {
    time: "10:06:00",
    region: "eu-west-1",
    source: "ec2.amazonaws.com",
    name: "CreateSnapshot",
    who: role("backup", "nightly"),
    request: { volumeId: "vol-0c0c" },
    response: { snapshotId: "snap-0d0d" },
  },
  // Reads and untracked writes around them, which `changes` leaves out.
  {
    time: "09:47:00",
    region: "eu-west-1",
    source: "ec2.amazonaws.com",
    name: "DescribeInstances",
    who: alice,
    readOnly: true,
  },
  {
    time: "09:58:00",
    region: "eu-west-1",
    source: "monitoring.amazonaws.com",
    name: "PutMetricData",
    who: role("app", "web"),
  },
  {
    time: "10:02:00",
    region: "us-east-1",
    source: "s3.amazonaws.com",
    name: "GetBucketPolicy",
    who: alice,
    readOnly: true,
  },
];

/** The scenario's records, in time order. */
export function incidentRecords(): Record<string, unknown>[] {
  return CHANGES.map((c, i) => ({
    eventVersion: "1.09",
    userIdentity: c.who,
    eventTime: `2024-03-01T${c.time}Z`,
    eventSource: c.source,
    eventName: c.name,
    awsRegion: c.region,
    sourceIPAddress: c.who.type === "AWSService" ? c.who.invokedBy : "203.0.113.7",
    userAgent: "aws-cli/2.15.0",
    ...(c.error ? { errorCode: c.error, errorMessage: "You are not authorized to perform this operation." } : {}),
    requestParameters: c.request ?? null,
    responseElements: c.error ? null : c.response ?? null,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    readOnly: c.readOnly ?? false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
  }));
}

/** Writes the records as CloudTrail log files below `root` (one file per region and 5-minute delivery). */
export function writeIncidentTree(root: string, records = incidentRecords()): string[] {
  const files = new Map<string, unknown[]>();
  for (const r of records) {
    const t = new Date(String(r.eventTime));
    t.setUTCMinutes(Math.floor(t.getUTCMinutes() / 5) * 5 + 5, 0, 0);
    const stamp = t.toISOString().slice(0, 16).replace(/[-:]/g, "") + "Z";
    const region = String(r.awsRegion);
    const day = t.toISOString().slice(0, 10).replaceAll("-", "/");
    const path = `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${day}/${ACCOUNT}_CloudTrail_${region}_${stamp}_inc.json.gz`;
    files.set(path, [...(files.get(path) ?? []), r]);
  }
  for (const [path, recs] of files) {
    Deno.mkdirSync(dirname(join(root, path)), { recursive: true });
    Deno.writeFileSync(join(root, path), gzipSync(new TextEncoder().encode(JSON.stringify({ Records: recs }))));
  }
  return [...files.keys()];
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (!dir) throw new Error("usage: incident_records.ts DIR");
  console.error(`wrote ${writeIncidentTree(dir).length} log files to ${dir}`);
}
