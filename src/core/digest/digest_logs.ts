/** Which log files the trusted digests name, and the state of each log file from what was found. */
import type { DigestFacts } from "./digest_chain.ts";
import { parseDigestKey } from "./digest_key.ts";
import type { FileResult } from "./digest_state.ts";

/** A log file to hash, with the hash a trusted digest records for it. */
export interface NamedLog {
  key: string;
  expected: string;
  /** The digest that names it. */
  digest: string;
}

/** Every log file the trusted digests name, once per key (a backfill digest may name one again). */
export function namedLogs(trusted: DigestFacts[]): Map<string, NamedLog> {
  const named = new Map<string, NamedLog>();
  for (const f of trusted) {
    for (const file of f.document?.logFiles ?? []) {
      if (!named.has(file.s3Object)) {
        named.set(file.s3Object, { key: file.s3Object, expected: file.hashValue, digest: f.key });
      }
    }
  }
  return named;
}

/** What reading a named log file gave: its hash, nothing (not found), or why it could not be hashed. */
export type LogReading = { found: true; sha256: string } | { found: false } | { found: true; error: string };

/** The state of a log file a trusted digest names. */
export function namedLogResult(log: NamedLog, reading: LogReading): FileResult {
  if (!reading.found) {
    return { kind: "log", key: log.key, state: "deleted", reason: `named by "${log.digest}", not found` };
  }
  if ("error" in reading) return { kind: "log", key: log.key, state: "modified", reason: reading.error };
  if (reading.sha256 === log.expected) return { kind: "log", key: log.key, state: "valid" };
  return { kind: "log", key: log.key, state: "modified", reason: `SHA-256 differs from "${log.digest}"` };
}

const HOUR = 3_600_000;

/**
 * How long a log file may wait for the digest that names it: the digest of the hour it was delivered in ends up to
 * an hour after it (CloudTrail digests each hour), and one more hour is allowed for that digest's own delivery.
 */
export const DIGEST_DELAY = 2 * HOUR;
/** A log file's name gives its delivery to the minute: it may have been delivered up to a minute later. */
const NAME_PRECISION = 60_000;
/** How far the run's clock may be ahead of AWS's: S3 refuses requests signed further off (15 minutes). */
const CLOCK_SKEW = 15 * 60_000;

/**
 * The time up to which every live trail of a unit has delivered digests: the oldest of the trails' newest digest
 * ends (a log file's name does not say its trail: a later one may still await the digest of the slowest trail). A
 * trail whose newest digest ends {@link DIGEST_DELAY} or more before `now` has stopped (or lost its newest digest)
 * and is left out, so it lends no grace; when every trail has, the newest digest's end.
 */
export function coveredUntil(trusted: DigestFacts[], now: number): number | undefined {
  const newest = new Map<string, number>();
  for (const f of trusted) {
    const key = parseDigestKey(f.key);
    if (key) newest.set(key.trail, Math.max(newest.get(key.trail) ?? key.end, key.end));
  }
  const ends = [...newest.values()];
  const live = ends.filter((end) => end > now - DIGEST_DELAY);
  return live.length > 0 ? Math.min(...live) : ends.length > 0 ? Math.max(...ends) : undefined;
}

/** Options of {@link uncoveredLogResult}. */
export interface UncoveredOptions {
  /** What {@link coveredUntil} says for the unit. */
  coveredUntil: number | undefined;
  /** Log files named only by digests that are not trusted. */
  namedByUntrusted: ReadonlySet<string>;
  /** The run's time (from the clock the command was given). */
  now: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/**
 * The state of a listed log file that no trusted digest names: awaiting-digest when it was delivered after the
 * unit's digests (see {@link coveredUntil}) less than {@link DIGEST_DELAY} before the run, else not covered, with the
 * likeliest reason. A file a digest that is not valid names, or one dated after the run, is never awaiting.
 */
export function uncoveredLogResult(key: string, delivered: number, options: UncoveredOptions): FileResult {
  const notCovered = (reason: string): FileResult => ({ kind: "log", key, state: "not-covered", reason });
  if (options.namedByUntrusted.has(key)) return notCovered("named only by a digest that is not valid");
  if (delivered > options.now + CLOCK_SKEW) return notCovered("named as delivered after the run's time");
  const until = options.coveredUntil;
  const afterDigests = until === undefined || delivered + NAME_PRECISION > until;
  if (!afterDigests) return notCovered("no digest names it");
  if (delivered + DIGEST_DELAY <= options.now) {
    return notCovered(
      until === undefined ? "no digest in the range" : "delivered after the newest digest; none came within 2 hours",
    );
  }
  const recheckAfter = iso(delivered + DIGEST_DELAY);
  const after = until === undefined ? "no digest in the range, delivered" : "delivered after the newest digest,";
  const reason = `no digest yet: ${after} less than 2 hours ago; run again after ${recheckAfter}`;
  return { kind: "log", key, state: "awaiting-digest", reason, recheckAfter };
}

/** The log files that only untrusted digests (present, but not valid) name. */
export function logsNamedByUntrusted(facts: DigestFacts[], named: Map<string, NamedLog>): Set<string> {
  const keys = new Set<string>();
  for (const f of facts) {
    if (!f.problem) continue;
    for (const file of f.document?.logFiles ?? []) if (!named.has(file.s3Object)) keys.add(file.s3Object);
  }
  return keys;
}
