/** The one-line stderr summary of `select`. */
import { breakdown, total } from "../core/util/counts.ts";

/** What `select` counted. */
export interface SelectCounts {
  read: number;
  matched: number;
  outOfRange: number;
  corrupt: Record<string, number>;
  skippedRecords: Record<string, number>;
  notLogFiles: Record<string, number>;
  /** `.json` files passed over because their `.json.gz` is read. */
  gunzippedCopies: number;
}

/** `select: 2020 log files read (3 skipped: 2 not gzip data, 1 invalid JSON), 12 outside the time range, 40 other files passed over (...); 1234 records matched`. */
export function selectSummary(c: SelectCounts): string {
  const corrupt = total(c.corrupt);
  const other = total(c.notLogFiles);
  const skipped = total(c.skippedRecords);
  const parts = [`select: ${c.read} log files read${corrupt ? ` (${corrupt} skipped: ${breakdown(c.corrupt)})` : ""}`];
  if (c.outOfRange) parts.push(`${c.outOfRange} outside the time range`);
  if (c.gunzippedCopies) parts.push(`${c.gunzippedCopies} gunzipped copies passed over (their .json.gz read)`);
  if (other) parts.push(`${other} other files passed over (${breakdown(c.notLogFiles)})`);
  let line = parts.join(", ") + `; ${c.matched} records matched`;
  if (skipped) line += `, ${skipped} records skipped (${breakdown(c.skippedRecords)})`;
  return line;
}

/** What `select --use-cloudtrail-api` counted. */
export interface ApiCounts {
  regions: number;
  pages: number;
  events: number;
  throttled: number;
  skipped: Record<string, number>;
  /** Regions whose lookup failed (each named in a warning before the summary). */
  failedRegions?: number;
}

/** `select: 2 regions, 6 pages, 260 events, 2 skipped (2 unparseable CloudTrailEvent), throttled 1 times, 1 region failed; 130 records matched`. */
export function selectApiSummary(c: ApiCounts, matched: number): string {
  const skipped = total(c.skipped);
  return `select: ${c.regions} region${c.regions === 1 ? "" : "s"}, ${c.pages} pages, ${c.events} events` +
    (skipped ? `, ${skipped} skipped (${breakdown(c.skipped)})` : "") +
    (c.throttled ? `, throttled ${c.throttled} times` : "") +
    (c.failedRegions ? `, ${c.failedRegions} region${c.failedRegions === 1 ? "" : "s"} failed` : "") +
    `; ${matched} records matched`;
}
