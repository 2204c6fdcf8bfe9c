/** Picks the records of one CloudTrail document that match the select filters, ready to print. */
import { countInto } from "../output/counts.ts";
import { mayEscapeArns, roleRecordSlices } from "./role_record_slices.ts";
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

/** What stands between two records in each format. */
export const RECORD_SEPARATORS: Record<RecordFormat, string> = { json: ", ", jsonl: "\n" };

/** Result of {@link selectRecords}: matches serialised, counts by reason. */
export type Selection =
  | { ok: true; records: string[]; skipped: Record<string, number> }
  | { ok: false; issue: string };

/** A record as trailscraper's `json.dumps` prints it (json) or as one compact JSON line (jsonl). */
function serializeRecord(raw: unknown, format: RecordFormat): string {
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
  if (cannotMatchRoles(text, filter.roleArns)) return { ok: true, records: [], skipped: {} };
  // With a role filter, parse only the records that mention a wanted role (see role_record_slices.ts).
  const slices = filter.roleArns.length > 0 ? roleRecordSlices(text, filter.roleArns) : undefined;
  if (slices) {
    const fast = selectParsed(`{"Records": [${slices.join(",")}]}`, filter, format);
    if (fast.ok) return fast; // a slice that does not parse means a cut inside a record: read the whole file
  }
  return selectParsed(text, filter, format);
}

function selectParsed(text: string, filter: RecordFilter, format: RecordFormat): Selection {
  const plain = documentRecords(text, false);
  if (!plain.ok) return plain;
  const selection = selectFrom(plain.records, filter, format);
  // Only matches are printed: re-read with number literals kept when one might print differently.
  if (selection.records.length === 0 || !PYTHON_SENSITIVE_NUMBER.test(text)) return selection;
  const exact = documentRecords(text, true);
  return exact.ok ? selectFrom(exact.records, filter, format) : exact;
}

/**
 * True when a role filter is set and no wanted ARN occurs in the file's text, so no
 * record can match and the file need not be parsed. A file whose escapes could spell
 * an ARN differently (see mayEscapeArns), and a file that does not look like a whole
 * `{..."Records"...}` document may be corrupt: both are always parsed, so that
 * corruption is still reported. Malformed records in a skipped file are not counted.
 */
function cannotMatchRoles(text: string, roleArns: string[]): boolean {
  if (roleArns.length === 0 || mayEscapeArns(text)) return false;
  if (!/^\s*\{/.test(text) || !/\}\s*$/.test(text.slice(-64)) || !text.includes('"Records"')) return false;
  return !roleArns.some((arn) => text.includes(`"${arn}"`));
}

function selectFrom(records: unknown[], filter: RecordFilter, format: RecordFormat): Selection & { ok: true } {
  const roles = filter.roleArns.length > 0 ? new Set(filter.roleArns) : undefined;
  const out: string[] = [];
  const skipped: Record<string, number> = {};
  for (const raw of records) {
    const parsed = parseRecord(raw);
    let issue: string | undefined = parsed.ok ? undefined : parsed.issue;
    if (parsed.ok && parsed.record.eventTime === undefined) issue = "missing or invalid eventTime";
    if (issue !== undefined) {
      countInto(skipped, issue);
      continue;
    }
    if (!parsed.ok) continue; // counted above
    const { eventTime = NaN, assumedRoleArn } = parsed.record;
    if (eventTime < filter.from || eventTime > filter.to) continue;
    if (roles && !(assumedRoleArn !== undefined && roles.has(assumedRoleArn))) continue;
    out.push(serializeRecord(raw, format));
  }
  return { ok: true, records: out, skipped };
}

// A number token that JavaScript would print differently from Python: an integral
// float (1.0), an exponent (1e5), or an integer past 2^53. Only tokens after `:`,
// `,` or `[` count, so version strings such as "aws-cli/2.15.0" do not trigger it;
// a string that happens to contain `:1.0,` only costs the slower exact path.
// Plain decimals below 1e-4 (0.00001) count too: Python prints them as 1e-05.
const PYTHON_SENSITIVE_NUMBER = /[:,[]\s*-?(?:\d+(?:\.0+(?=[\s,\]}])|(?:\.\d+)?[eE])|\d{16,}|0\.0000)/;

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;
const keepNumberSource: Reviver = (_key, value, context) =>
  typeof value === "number" && context?.source !== undefined ? new RawNumber(context.source) : value;

/** The `Records` array of a log file's text (number literals kept as RawNumber on request), or why there is none. */
function documentRecords(
  text: string,
  keepNumberLiterals = false,
): { ok: true; records: unknown[] } | { ok: false; issue: string } {
  if (text.length === 0) return { ok: false, issue: "empty file" };
  let document: unknown;
  try {
    document = keepNumberLiterals
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
