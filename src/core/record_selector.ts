/** Picks the records of one CloudTrail document that match the select filters, ready to print. */
import { pythonJson, RawNumber } from "../output/python_json.ts";
import { parseRecord } from "./record.ts";

/** What `select` keeps: a time range (inclusive, epoch ms) and assumed-role ARNs (any of them; none = all). */
export interface RecordFilter {
  from: number;
  to: number;
  roleArns: string[];
}

/** Output formats of `select`. */
export type RecordFormat = "json" | "jsonl";

/** Result of {@link selectRecords}: matches serialised, counts by reason. */
export type Selection =
  | { ok: true; records: string[]; total: number; skipped: Record<string, number> }
  | { ok: false; issue: string };

/** A record as trailscraper's `json.dumps` prints it (json) or as one compact JSON line (jsonl). */
export function serializeRecord(raw: unknown, format: RecordFormat): string {
  return format === "json" ? pythonJson(raw) : JSON.stringify(raw, rawNumbersAsWritten);
}

function rawNumbersAsWritten(_key: string, value: unknown): unknown {
  // JSON.rawJSON keeps a literal exactly in JSON.stringify output (V8 11.4+).
  return value instanceof RawNumber
    ? (JSON as unknown as { rawJSON(s: string): unknown }).rawJSON(value.source)
    : value;
}

/**
 * Parses one log file's text and returns its matching records in file order.
 * A record without a usable eventSource, eventName or eventTime is skipped and counted.
 */
export function selectRecords(text: string, filter: RecordFilter, format: RecordFormat): Selection {
  const document = documentRecords(text);
  if (!document.ok) return document;
  const { records } = document;
  const roles = filter.roleArns.length > 0 ? new Set(filter.roleArns) : undefined;
  const out: string[] = [];
  const skipped: Record<string, number> = {};
  for (const raw of records) {
    const parsed = parseRecord(raw);
    let issue: string | undefined = parsed.ok ? undefined : parsed.issue;
    if (parsed.ok && parsed.record.eventTime === undefined) issue = "missing or invalid eventTime";
    if (issue !== undefined) {
      skipped[issue] = (skipped[issue] ?? 0) + 1;
      continue;
    }
    if (!parsed.ok) continue; // counted above
    const { eventTime = NaN, assumedRoleArn } = parsed.record;
    if (eventTime < filter.from || eventTime > filter.to) continue;
    if (roles && !(assumedRoleArn !== undefined && roles.has(assumedRoleArn))) continue;
    out.push(serializeRecord(raw, format));
  }
  return { ok: true, records: out, total: records.length, skipped };
}

// A number token that JavaScript would print differently from Python: an integral
// float (1.0), an exponent (1e5), or an integer past 2^53. Strings may match too;
// that only costs the slower exact path.
const PYTHON_SENSITIVE_NUMBER = /\d\.0+(?![0-9])|\d[eE][-+]?\d|\d{16,}/;

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;
const keepNumberSource: Reviver = (_key, value, context) =>
  typeof value === "number" && context?.source !== undefined ? new RawNumber(context.source) : value;

/** The `Records` array of a log file's text, or why there is none. */
export function documentRecords(text: string): { ok: true; records: unknown[] } | { ok: false; issue: string } {
  if (text.length === 0) return { ok: false, issue: "empty file" };
  let document: unknown;
  try {
    document = PYTHON_SENSITIVE_NUMBER.test(text)
      ? JSON.parse(text, keepNumberSource as Parameters<typeof JSON.parse>[1])
      : JSON.parse(text);
  } catch {
    return { ok: false, issue: "invalid JSON" };
  }
  const records = (document as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) ? { ok: true, records } : { ok: false, issue: 'no "Records" array' };
}

/** The newest valid eventTime in one log file's text (undefined when it has none), or an issue. */
export function newestEventTime(text: string): { ok: true; newest: number | undefined } | { ok: false; issue: string } {
  const document = documentRecords(text);
  if (!document.ok) return document;
  let newest: number | undefined;
  for (const raw of document.records) {
    const parsed = parseRecord(raw);
    const t = parsed.ok ? parsed.record.eventTime : undefined;
    if (t !== undefined && (newest === undefined || t > newest)) newest = t;
  }
  return { ok: true, newest };
}
