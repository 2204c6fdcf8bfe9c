/** The texts of `sync`: progress lines, the summary, the dry-run plan. */
import { breakdown, total } from "../core/util/counts.ts";

/** What a sync run counted. */
export interface SyncCounts {
  folders: number;
  lists: number;
  files: number;
  failed: number;
  /** Listings that failed (their folders' files are neither fetched nor counted above). */
  failedListings: number;
  /** Files listed that an earlier run had already done. */
  already: number;
  /** Keys listed again (by the store, or by another trail), passed over. */
  repeated: number;
  events: number;
  duplicates: number;
  withoutId: number;
  /** Records not archived, by reason (`not an object`). */
  skipped: Record<string, number>;
  bytes: number;
  seconds: number;
}

const n = (x: number) => x.toLocaleString("en-US");

/** `sync: 120 files, 58,000 events written, 1,200 duplicates, 12.3 MB/s` (a progress line). */
export function syncProgress(c: SyncCounts): string {
  const rate = c.bytes / 1e6 / Math.max(c.seconds, 0.001);
  return `sync: ${n(c.files)} files${c.failed ? ` (${n(c.failed)} failed)` : ""}, ${n(c.events)} events written, ` +
    `${n(c.duplicates)} duplicates, ${rate.toFixed(1)} MB/s`;
}

/** `, 1 listing failed`, or nothing. */
function listings(failed: number): string {
  return failed ? `, ${n(failed)} listing${failed === 1 ? "" : "s"} failed` : "";
}

/** The one-line summary at the end. */
export function syncSummary(c: SyncCounts): string {
  const skipped = total(c.skipped);
  return `sync: ${c.folders} account/region folders (${c.lists} LIST calls), ${n(c.files)} files ` +
    `(${(c.bytes / 1e6).toFixed(1)} MB), ${n(c.failed)} failed${listings(c.failedListings)}, ` +
    `${n(c.already)} already done` +
    (c.repeated ? `, ${n(c.repeated)} listed again (passed over)` : "") + `; ` +
    `${n(c.events)} events written, ${n(c.duplicates)} duplicates dropped` +
    (c.withoutId ? `, ${n(c.withoutId)} without eventID (keyed by a hash)` : "") +
    (skipped ? `, ${n(skipped)} records skipped (${breakdown(c.skipped)})` : "") + ` in ${c.seconds.toFixed(1)} s`;
}

/** One line of `sync --dry-run`: where, and how many files it would fetch. */
export function dryRunLine(folder: { bucket: string; account: string; region: string; prefix: string }, files: number) {
  return `s3://${folder.bucket}/${folder.prefix}\t${folder.account}\t${folder.region}\t${files}`;
}
