/** The state each log file and digest ends in after `validate`, as values. */

/** Every state, best first. */
export const FILE_STATES = [
  "valid",
  "modified",
  "deleted",
  "not-covered",
  "signature-invalid",
  "chain-broken",
] as const;

/**
 * valid; modified (hash differs); deleted (named by a digest, not found); not-covered
 * (a log file no trusted digest names); signature-invalid (a digest whose signature,
 * format, location or key fails); chain-broken (a digest whose previous digest is
 * missing or does not match its previous-signature or hash).
 */
export type FileState = (typeof FILE_STATES)[number];

/** One file's result. */
export interface FileResult {
  kind: "log" | "digest";
  /** The S3 key (the path below the log dir for a local copy). */
  key: string;
  state: FileState;
  /** Why it is not valid (absent when valid). */
  reason?: string;
}

/** Counts per kind and state. */
export interface StateCounts {
  log: Record<FileState, number>;
  digest: Record<FileState, number>;
}

/** Zero counts. */
export function emptyCounts(): StateCounts {
  const zero = () => Object.fromEntries(FILE_STATES.map((s) => [s, 0])) as Record<FileState, number>;
  return { log: zero(), digest: zero() };
}

/** Adds one result to the counts. */
export function countResult(counts: StateCounts, result: FileResult): void {
  counts[result.kind][result.state]++;
}

/** How many files are in any state but valid. */
export function notValid(counts: StateCounts): number {
  return FILE_STATES.filter((s) => s !== "valid").reduce((n, s) => n + counts.log[s] + counts.digest[s], 0);
}
