/** The texts of `download`: the progress line, the one-line summary and the `--wait` messages. */
import { pythonUtcTimestamp } from "../core/records/newest_event_plan.ts";

/** What one pass of `download` counted. */
export interface DownloadCounts {
  listed: number;
  /** Keys the listing named again (a store's paging bug): passed over, each file fetched once. */
  repeated: number;
  downloaded: number;
  skipped: number;
  failed: number;
  bytes: number;
  /** ListObjectsV2 calls (pages). */
  lists: number;
  /** S3 folders (key prefixes) planned, and those whose listing failed (their files were never seen). */
  folders?: number;
  unlisted?: number;
  seconds: number;
}

/**
 * `download: 400 log files listed (3 LIST calls), 380 downloaded (12.3 MB), 20 already there, 0 failed in 4.2 s`
 * (`..., 0 failed, 1 of 4 folders could not be listed in 4.2 s` when a listing failed; `20 already there, 3 listed
 * again (passed over), 0 failed` when the listing repeated keys).
 */
export function downloadSummary(c: DownloadCounts): string {
  return `download: ${c.listed} log files listed (${c.lists} LIST calls), ${c.downloaded} downloaded ` +
    `(${(c.bytes / 1e6).toFixed(1)} MB), ${c.skipped} already there, ` +
    (c.repeated ? `${c.repeated} listed again (passed over), ` : "") + `${c.failed} failed` +
    (c.unlisted ? `, ${c.unlisted} of ${c.folders} folders could not be listed` : "") + ` in ${c.seconds.toFixed(1)} s`;
}

/** Why a pass is incomplete, in one line (files that failed, folders that could not be listed), or undefined. */
export function downloadFailure(c: DownloadCounts): string | undefined {
  const files = c.failed > 0 ? `${c.failed} of ${c.listed} log files could not be downloaded` : "";
  const folders = c.unlisted
    ? `${c.unlisted} of ${c.folders} S3 folders could not be listed, so their log files are missing (see the warnings)`
    : "";
  return files && folders ? `${files}, and ${folders}` : files || folders || undefined;
}

/** `12 downloaded, 3 already there, 0 failed, 1.2 MB, 0.8 MB/s, ETA 4 s` (`listing` until every folder is listed). */
export function downloadProgress(c: DownloadCounts, seconds: number, eta: number | undefined, listed: boolean): string {
  const rate = c.bytes / Math.max(seconds, 0.001);
  const tail = eta !== undefined ? `, ETA ${eta} s` : listed ? "" : ", listing";
  return `${c.downloaded} downloaded, ${c.skipped} already there, ${c.failed} failed, ` +
    `${(c.bytes / 1e6).toFixed(1)} MB, ${(rate / 1e6).toFixed(1)} MB/s${tail}`;
}

const stamp = (t: number | undefined) => (t === undefined ? "none" : pythonUtcTimestamp(t));

/** trailscraper's message while `--wait` waits for the logs to reach `--to`. */
export function stillWaiting(newest: number | undefined, to: number, intervalSeconds: number): string {
  return `CloudTrail logs haven't caught up to ${pythonUtcTimestamp(to)} yet. Most recent timestamp: ` +
    `${stamp(newest)}. Trying again in ${intervalSeconds} s.`;
}

/** Why `--wait` gave up. */
export function gaveUpWaiting(timeoutSeconds: number, newest: number | undefined, to: number): string {
  return `gave up waiting after ${timeoutSeconds} s: the newest event is ${stamp(newest)}, not after ` +
    pythonUtcTimestamp(to);
}
