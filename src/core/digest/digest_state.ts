/** The state each log file and digest ends in after `validate`, as values. */

/** Every state, best first. */
export const FILE_STATES = [
  "valid",
  "awaiting-digest",
  "modified",
  "deleted",
  "not-covered",
  "signature-invalid",
  "chain-broken",
] as const;

/**
 * valid; awaiting-digest (a log file no digest names yet, delivered after the newest
 * digest and too recently for its digest to have come: it does not fail the run);
 * modified (hash differs); deleted (named by a digest, not found); not-covered
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
  /** awaiting-digest only: when its digest is overdue, so that a run then decides it (ISO 8601, UTC). */
  recheckAfter?: string;
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

/** True for the states that fail a run: every state but valid and awaiting-digest. */
export function failing(state: FileState): boolean {
  return state !== "valid" && state !== "awaiting-digest";
}

/** How many files are in a state that fails the run (awaiting-digest does not). */
export function notValid(counts: StateCounts): number {
  return FILE_STATES.filter(failing).reduce((n, s) => n + counts.log[s] + counts.digest[s], 0);
}
