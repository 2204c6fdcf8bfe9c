/** The `select` filters: a time range and assumed-role ARNs, applied to raw records. */
import { countInto } from "../util/counts.ts";
import { parseRecord } from "./record.ts";
import { mayEscapeArns } from "./role_record_slices.ts";

/** What `select` keeps: a time range (inclusive, epoch ms) and assumed-role ARNs (any of them; none = all). */
export interface RecordFilter {
  from: number;
  to: number;
  roleArns: string[];
  /** Also keep records whose `userIdentity.arn` is one of these (IAM users, sessions); `select` leaves it out. */
  identityArns?: string[];
}

/** Every ARN a filter looks for in the text. */
export function filterArns(filter: RecordFilter): string[] {
  return [...filter.roleArns, ...(filter.identityArns ?? [])];
}

/** The raw records that pass the filter, in order, and the records skipped by reason. */
export interface FilteredRecords {
  matched: unknown[];
  skipped: Record<string, number>;
}

/** Keeps the records in the time range of one of the roles; a record without eventSource, eventName or eventTime is skipped and counted. */
export function filterRecords(records: unknown[], filter: RecordFilter): FilteredRecords {
  const roles = filter.roleArns.length > 0 ? new Set(filter.roleArns) : undefined;
  const identities = filter.identityArns?.length ? new Set(filter.identityArns) : undefined;
  const matched: unknown[] = [];
  const skipped: Record<string, number> = {};
  for (const raw of records) {
    const parsed = parseRecord(raw);
    if (!parsed.ok) {
      countInto(skipped, parsed.issue);
      continue;
    }
    const { eventTime, assumedRoleArn } = parsed.record;
    if (eventTime === undefined) {
      countInto(skipped, "missing or invalid eventTime");
      continue;
    }
    if (eventTime < filter.from || eventTime > filter.to) continue;
    if (roles || identities) {
      const byRole = roles !== undefined && assumedRoleArn !== undefined && roles.has(assumedRoleArn);
      const byIdentity = identities !== undefined && parsed.record.identityArn !== undefined &&
        identities.has(parsed.record.identityArn);
      if (!byRole && !byIdentity) continue;
    }
    matched.push(raw);
  }
  return { matched, skipped };
}

/**
 * True when a role filter is set and no wanted ARN occurs in the text, so no record
 * can match and it need not be parsed. Text whose escapes could spell an ARN
 * differently (see mayEscapeArns) is always parsed.
 */
export function textCannotMatchRoles(text: string, roleArns: string[]): boolean {
  if (roleArns.length === 0 || mayEscapeArns(text)) return false;
  return !roleArns.some((arn) => text.includes(`"${arn}"`));
}

/** Counts, by role ARN, the assumed-role records of `records` in the time range: what a filter could have named. */
export function countAssumedRoles(records: unknown[], range: { from: number; to: number }, into: Map<string, number>) {
  for (const raw of records) {
    const parsed = parseRecord(raw);
    if (!parsed.ok) continue;
    const { eventTime, assumedRoleArn } = parsed.record;
    if (assumedRoleArn === undefined || eventTime === undefined || eventTime < range.from || eventTime > range.to) {
      continue;
    }
    into.set(assumedRoleArn, (into.get(assumedRoleArn) ?? 0) + 1);
  }
}
