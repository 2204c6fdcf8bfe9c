/** Which log files the trusted digests name, and the state of each log file from what was found. */
import type { DigestFacts } from "./digest_chain.ts";
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

/** Options of {@link uncoveredLogResult}. */
export interface UncoveredOptions {
  /** The end of the newest digest of the unit, if any. */
  newestDigestEnd: number | undefined;
  /** Log files named only by digests that are not trusted. */
  namedByUntrusted: ReadonlySet<string>;
}

/** The state of a listed log file that no trusted digest names: not covered, with the likeliest reason. */
export function uncoveredLogResult(key: string, delivered: number, options: UncoveredOptions): FileResult {
  const reason = options.namedByUntrusted.has(key)
    ? "named only by a digest that is not valid"
    : options.newestDigestEnd === undefined
    ? "no digest in the range"
    : delivered >= options.newestDigestEnd
    ? "delivered after the newest digest"
    : "no digest names it";
  return { kind: "log", key, state: "not-covered", reason };
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
