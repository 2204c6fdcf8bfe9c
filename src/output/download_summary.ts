/** The texts of `download`: the progress line, the one-line summary and the `--wait` messages. */
import { pythonUtcTimestamp } from "../core/newest_event_plan.ts";

/** What one pass of `download` counted. */
export interface DownloadCounts {
  listed: number;
  downloaded: number;
  skipped: number;
  failed: number;
  bytes: number;
  /** ListObjectsV2 calls (pages). */
  lists: number;
  seconds: number;
}

/** `download: 400 log files listed (3 LIST calls), 380 downloaded (12.3 MB), 20 already there, 0 failed in 4.2 s`. */
export function downloadSummary(c: DownloadCounts): string {
  return `download: ${c.listed} log files listed (${c.lists} LIST calls), ${c.downloaded} downloaded ` +
    `(${(c.bytes / 1e6).toFixed(1)} MB), ${c.skipped} already there, ${c.failed} failed in ${c.seconds.toFixed(1)} s`;
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
