/** The one-line stderr summary of `last-event-timestamp`. */
import { breakdown, total } from "../core/util/counts.ts";
import { escapeControl } from "./escape_control.ts";

/** What `last-event-timestamp` counted. */
export interface NewestEventCounts {
  /** Log files and sync archive files that may hold the newest event. */
  files: number;
  read: number;
  /** Files read but not usable, by reason. */
  skipped: Record<string, number>;
  /** Files below the log dir that are neither, by kind. */
  other: Record<string, number>;
  /** Records of the files read that could not be used (no valid eventTime, ...), by reason. */
  skippedRecords?: Record<string, number>;
}

/**
 * `last-event-timestamp: 2 of 40 files read (1 skipped: 1 not gzip data), 38 not needed (...), 3 other files passed
 * over (...); 2 records skipped (2 missing or invalid eventTime)`.
 */
export function newestEventSummary(c: NewestEventCounts): string {
  const skipped = total(c.skipped);
  const other = total(c.other);
  const notNeeded = c.files - c.read;
  const records = total(c.skippedRecords ?? {});
  return `last-event-timestamp: ${c.read} of ${c.files} files read` +
    (skipped ? ` (${skipped} skipped: ${escapeControl(breakdown(c.skipped))})` : "") +
    (notNeeded ? `, ${notNeeded} not needed (too old to hold a newer event)` : "") +
    (other ? `, ${other} other files passed over (${breakdown(c.other)})` : "") +
    (records ? `; ${records} records skipped (${escapeControl(breakdown(c.skippedRecords ?? {}))})` : "") + "\n";
}
