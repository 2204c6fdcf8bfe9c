/** Which log files `last-event-timestamp` must read to be sure it found the newest event. */
import { documentRecords, type RecordDocument } from "./record_document.ts";
import { parseRecord } from "./record.ts";

/**
 * How far after its file's delivery stamp an event may be: the stamp has minute
 * precision and producers' clocks drift. A file delivered more than this before
 * the newest event found so far cannot hold a newer one.
 */
export const EVENT_AFTER_DELIVERY_MS = 10 * 60_000;

/** Files sorted newest delivery first (stable for equal stamps). */
export function newestFirst<T extends { delivered: number }>(files: T[]): T[] {
  return [...files].sort((a, b) => b.delivered - a.delivered);
}

/** True when a file delivered at `delivered` can still hold an event newer than `newest`. */
export function mayHoldNewer(delivered: number, newest: number | undefined): boolean {
  return newest === undefined || delivered + EVENT_AFTER_DELIVERY_MS > newest;
}

/** `2024-03-01 09:40:13+00:00`, Python's `str()` of a UTC datetime (microseconds when not zero). */
export function pythonUtcTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-03-01T09:40:13.512Z
  const fraction = ms % 1000 === 0 ? "" : `.${iso.slice(20, 23)}000`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00:00`;
}

/** The newest valid eventTime of one document (undefined when it has none), or why it cannot be read. */
export function newestEventTime(
  doc: RecordDocument,
): { ok: true; newest: number | undefined } | { ok: false; issue: string } {
  const document = documentRecords(doc);
  if (!document.ok) return document;
  let newest: number | undefined;
  for (const raw of document.records) {
    const parsed = parseRecord(raw);
    const t = parsed.ok ? parsed.record.eventTime : undefined;
    if (t !== undefined && (newest === undefined || t > newest)) newest = t;
  }
  return { ok: true, newest };
}
