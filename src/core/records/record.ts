import { isObject } from "../util/data_table.ts";

/** A CloudTrail record reduced to what the core needs, plus the raw JSON it came from. */
export interface CloudTrailRecord {
  eventSource: string;
  eventName: string;
  /** Event time in epoch milliseconds; undefined when missing or unparseable. */
  eventTime: number | undefined;
  eventType: string | undefined;
  /** ARNs from `resources[].ARN`, in record order. */
  resourceArns: string[];
  /** `sessionContext.sessionIssuer.arn` of an `AssumedRole` identity. */
  assumedRoleArn: string | undefined;
  /** `userIdentity.arn`: the IAM user, root, or the assumed-role session. */
  identityArn: string | undefined;
  requestParameters: Record<string, unknown> | undefined;
  raw: Record<string, unknown>;
}

/** Why a record was skipped; the command counts these and reports them in one line. */
export type RecordIssue =
  | "not an object"
  | "missing eventSource"
  | "missing eventName";

/** Result of {@link parseRecord}. */
export type ParsedRecord = { ok: true; record: CloudTrailRecord } | { ok: false; issue: RecordIssue };

const EVENT_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * Parses `2017-11-19T00:21:51Z` or `2017-11-19T00:21:51.123Z` to epoch milliseconds; undefined for a time that is
 * not on the calendar (`2024-02-30`, hour 24, second 60), which Date.UTC would roll over into a time never named.
 */
export function parseEventTime(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = EVENT_TIME.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const frac = m[7];
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0;
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y, mo - 1, d); // years 0-99 as written (Date.UTC reads them as 1900-1999)
  const named = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d &&
    date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  return named ? date.getTime() : undefined;
}

function resourceArns(resources: unknown): string[] {
  if (!Array.isArray(resources)) return [];
  const arns: string[] = [];
  for (const r of resources) {
    if (isObject(r) && typeof r.ARN === "string") arns.push(r.ARN);
  }
  return arns;
}

function assumedRoleArn(identity: unknown): string | undefined {
  if (!isObject(identity) || identity.type !== "AssumedRole") return undefined;
  const ctx = identity.sessionContext;
  if (!isObject(ctx) || !isObject(ctx.sessionIssuer)) return undefined;
  const arn = ctx.sessionIssuer.arn;
  return typeof arn === "string" ? arn : undefined;
}

/**
 * Turns one raw JSON record into a {@link CloudTrailRecord}, or says why it cannot.
 * `withTime: false` leaves `eventTime` undefined (policy generation has no use for it). An Insights event
 * (`AwsCloudTrailInsight`) takes its `eventSource` and `eventName` from `insightDetails`.
 */
export function parseRecord(raw: unknown, withTime = true): ParsedRecord {
  if (!isObject(raw)) return { ok: false, issue: "not an object" };
  // A CloudTrail Insights event names the call it is about inside insightDetails, not at the top.
  const named = raw.eventType === "AwsCloudTrailInsight" && isObject(raw.insightDetails) ? raw.insightDetails : raw;
  const { eventSource, eventName } = named;
  if (typeof eventSource !== "string" || eventSource === "") return { ok: false, issue: "missing eventSource" };
  if (typeof eventName !== "string" || eventName === "") return { ok: false, issue: "missing eventName" };
  return {
    ok: true,
    record: {
      eventSource,
      eventName,
      eventTime: withTime ? parseEventTime(raw.eventTime) : undefined,
      eventType: typeof raw.eventType === "string" ? raw.eventType : undefined,
      resourceArns: resourceArns(raw.resources),
      assumedRoleArn: assumedRoleArn(raw.userIdentity),
      identityArn: isObject(raw.userIdentity) && typeof raw.userIdentity.arn === "string"
        ? raw.userIdentity.arn
        : undefined,
      requestParameters: isObject(raw.requestParameters) ? raw.requestParameters : undefined,
      raw,
    },
  };
}
