/** Small hand-made CloudTrail log trees for tests. */
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

/** A minimal record of `role` (an assumed-role issuer ARN, or undefined for an IAM user) at `time`. */
export function record(time: string, role?: string, eventName = "DescribeInstances"): Record<string, unknown> {
  return {
    eventVersion: "1.08",
    userIdentity: role
      ? {
        type: "AssumedRole",
        arn: "arn:aws:sts::111122223333:assumed-role/x/s",
        sessionContext: { sessionIssuer: { type: "Role", arn: role } },
      }
      : { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice" },
    eventTime: time,
    eventSource: "ec2.amazonaws.com",
    eventName,
    eventID: `${eventName}-${time}-${role ?? "user"}`,
  };
}

/** The file name CloudTrail gives a log delivered at `stamp` (`20240301T0945Z`). */
export function logName(stamp: string, id = "a1", account = "111122223333", region = "eu-west-1"): string {
  return `${account}_CloudTrail_${region}_${stamp}_${id}.json.gz`;
}

/** Writes `records` gzipped at `root/relative`, creating folders. Returns the full path. */
export function writeLog(root: string, relative: string, records: unknown[]): string {
  const path = join(root, relative);
  Deno.mkdirSync(dirname(path), { recursive: true });
  Deno.writeFileSync(path, gzipSync(new TextEncoder().encode(JSON.stringify({ Records: records }))));
  return path;
}

/** The standard folder of a day: `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD`. */
export function dayDir(day: string, account = "111122223333", region = "eu-west-1", org?: string): string {
  return `AWSLogs/${org ? `${org}/` : ""}${account}/CloudTrail/${region}/${day.replaceAll("-", "/")}`;
}
