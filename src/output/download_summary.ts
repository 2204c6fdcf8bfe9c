/** The one-line stderr summary of `download`. */

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
