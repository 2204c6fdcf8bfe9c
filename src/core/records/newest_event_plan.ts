/** Which log files `last-event-timestamp` must read to be sure it found the newest event. */
import { documentRecords, type RecordDocument } from "./record_document.ts";
import { parseRecord } from "./record.ts";
import { countInto } from "../util/counts.ts";

/**
 * How far after its file's delivery stamp an event may be: the stamp has minute
 * precision and producers' clocks drift. A file delivered more than this before
 * the newest event found so far cannot hold a newer one.
 */
const EVENT_AFTER_DELIVERY_MS = 10 * 60_000;

/**
 * A file and what bounds its events: a log file's delivery stamp, or (`latestEvent`) the end of the UTC day of an
 * archive's `date=` partition (Infinity when unknown).
 */
export type BoundedFile = { delivered: number } | { latestEvent: number };

/** The newest event time a file can hold. */
function latestEventOf(file: BoundedFile): number {
  return "latestEvent" in file ? file.latestEvent : file.delivered + EVENT_AFTER_DELIVERY_MS;
}

/** Files sorted by the newest event they can hold, newest first (stable for equal bounds). */
export function newestFirst<T extends BoundedFile>(files: T[]): T[] {
  return [...files].sort((a, b) => {
    const [x, y] = [latestEventOf(b), latestEventOf(a)];
    return x === y ? 0 : x > y ? 1 : -1; // Infinity - Infinity is NaN: compare, not subtract
  });
}

/** True when `file` can still hold an event newer than `newest`. */
export function mayHoldNewer(file: BoundedFile, newest: number | undefined): boolean {
  return newest === undefined || latestEventOf(file) > newest;
}

const DATE_PARTITION = /^date=(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The newest event time a `sync` archive file can hold, from the `date=YYYY-MM-DD` folder among `folders` (the
 * events of that UTC day); Infinity without one (or `date=unknown`), so such a file is always read.
 */
export function archiveLatestEvent(folders: string[]): number {
  const m = folders.map((f) => DATE_PARTITION.exec(f)).findLast((x) => x !== null);
  if (!m) return Infinity;
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(start) ? Infinity : start + 86_400_000 - 1;
}

/** `2024-03-01 09:40:13+00:00`, Python's `str()` of a UTC datetime (microseconds when not zero). */
export function pythonUtcTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-03-01T09:40:13.512Z
  const fraction = ms % 1000 === 0 ? "" : `.${iso.slice(20, 23)}000`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00:00`;
}

/**
 * The newest valid eventTime of one document (undefined when it has none) and the records skipped by reason (as
 * `select` counts them), or why the document cannot be read.
 */
export function newestEventTime(
  doc: RecordDocument,
): { ok: true; newest: number | undefined; skipped: Record<string, number> } | { ok: false; issue: string } {
  const document = documentRecords(doc);
  if (!document.ok) return document;
  let newest: number | undefined;
  const skipped: Record<string, number> = {};
  for (const raw of document.records) {
    const parsed = parseRecord(raw);
    if (!parsed.ok) {
      countInto(skipped, parsed.issue);
      continue;
    }
    const t = parsed.record.eventTime;
    if (t === undefined) countInto(skipped, "missing or invalid eventTime");
    else if (newest === undefined || t > newest) newest = t;
  }
  return { ok: true, newest, skipped };
}
