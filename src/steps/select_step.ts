/** The `select` step: keep the records of a time range and roles, serialised as `select` prints them. */
import { documentLines, documentRecords, type RecordDocument } from "../core/records/record_document.ts";
import { filterArns, filterRecords, type RecordFilter, textCannotMatchRoles } from "../core/records/record_filter.ts";
import { mayEscapeArns, roleRecordSlices } from "../core/records/role_record_slices.ts";
import { pythonJson, RawNumber } from "../output/python_json.ts";
import { RECORD_SEPARATORS, type RecordFormat } from "../output/record_format.ts";
import { countInto } from "../core/util/counts.ts";
import { processingIssue } from "../core/util/processing_issue.ts";
import type { RecordStep, StepResult } from "./record_step.ts";

/** Parameters of the select step. */
export interface SelectParams {
  filter: RecordFilter;
  format: RecordFormat;
}

/** The matching records, joined with the format's separator and UTF-8 encoded, and how many. */
export interface SelectOut {
  bytes: Uint8Array;
  matched: number;
}

/** Matches serialised, skipped records by reason. */
export type Selection = { ok: true; records: string[]; skipped: Record<string, number> } | { ok: false; issue: string };

/** Skipped-record reason for a JSON Lines line that does not parse. */
export const BAD_LINE = "invalid JSON line";

const encoder = new TextEncoder();

/** A record as trailscraper's `json.dumps` prints it (json) or as one compact JSON line (jsonl). */
function serializeRecord(raw: unknown, format: RecordFormat): string {
  return format === "json" ? pythonJson(raw) : JSON.stringify(raw, rawNumbersAsWritten);
}

// JSON.rawJSON keeps a literal exactly in JSON.stringify output (V8 11.4+).
const rawJson = (JSON as typeof JSON & { rawJSON(text: string): unknown }).rawJSON;

function rawNumbersAsWritten(_key: string, value: unknown): unknown {
  return value instanceof RawNumber ? rawJson(value.source) : value;
}

const keepNumber = (source: string) => new RawNumber(source);

/**
 * Parses one document and returns its matching records in document order. With a
 * role filter, text that cannot mention a wanted role is not parsed at all, and of a
 * CloudTrail file (or JSON Lines) only the records that mention one are parsed.
 */
export function selectRecords(doc: RecordDocument, filter: RecordFilter, format: RecordFormat): Selection {
  const arns = filterArns(filter);
  if (arns.length === 0) return selectParsed(doc, filter, format);
  if (doc.format === "lines") {
    if (mayEscapeArns(doc.text)) return selectParsed(doc, filter, format);
    const needles = arns.map((arn) => `"${arn}"`);
    const lines = documentLines(doc.text).filter((line) => needles.some((n) => line.includes(n)));
    return selectParsed({ text: lines.join("\n"), format: "lines" }, filter, format, true);
  }
  if (looksWhole(doc.text) && textCannotMatchRoles(doc.text, arns)) {
    return { ok: true, records: [], skipped: {} };
  }
  const slices = roleRecordSlices(doc.text, arns);
  if (slices) {
    const fast = selectParsed({ text: `{"Records": [${slices.join(",")}]}`, format: "records" }, filter, format);
    if (fast.ok) return fast; // a slice that does not parse means a cut inside a record: read the whole file
  }
  return selectParsed(doc, filter, format);
}

/** A file that does not look like a whole `{..."Records"...}` document may be corrupt: always parse it, to report that. */
function looksWhole(text: string): boolean {
  return /^\s*\{/.test(text) && /\}\s*$/.test(text.slice(-64)) && text.includes('"Records"');
}

function selectParsed(doc: RecordDocument, filter: RecordFilter, format: RecordFormat, mayBeEmpty = false): Selection {
  if (mayBeEmpty && doc.text === "") return { ok: true, records: [], skipped: {} };
  const plain = documentRecords(doc);
  if (!plain.ok) return plain;
  let { matched, skipped } = filterRecords(plain.records, filter);
  if (plain.badLines > 0) skipped = { ...skipped, [BAD_LINE]: plain.badLines };
  // Only matches are printed: re-read with number literals kept when one might print differently.
  if (matched.length > 0 && PYTHON_SENSITIVE_NUMBER.test(doc.text)) {
    // JSON.parse with a reviver recurses: a record nested too deeply for it fails the whole document. Then the
    // matches parsed above are printed as they are (numbers as JavaScript prints them, in this document only).
    const exact = documentRecords(doc, keepNumber);
    if (exact.ok) matched = filterRecords(exact.records, filter).matched;
  }
  return { ok: true, ...serializeEach(matched, format, skipped) };
}

/** The records serialised; one that cannot be (nested too deeply to print) is skipped and counted. */
function serializeEach(matched: unknown[], format: RecordFormat, counted: Record<string, number>) {
  const skipped = { ...counted };
  const records: string[] = [];
  for (const raw of matched) {
    try {
      records.push(serializeRecord(raw, format));
    } catch (e) {
      countInto(skipped, processingIssue(e));
    }
  }
  return { records, skipped };
}

// A number token that JavaScript would print differently from Python: an integral
// float (1.0), an exponent (1e5), or an integer past 2^53. Only tokens after `:`,
// `,` or `[` count, so version strings such as "aws-cli/2.15.0" do not trigger it;
// a string that happens to contain `:1.0,` only costs the slower exact path.
// Plain decimals below 1e-4 (0.00001) count too: Python prints them as 1e-05.
const PYTHON_SENSITIVE_NUMBER = /[:,[]\s*-?(?:\d+(?:\.0+(?=[\s,\]}])|(?:\.\d+)?[eE])|\d{16,}|0\.0000)/;

/** The select step for the worker pool: matches come back as one UTF-8 buffer, transferred. */
export const selectStep: RecordStep<SelectParams, SelectOut> = {
  apply(doc, params): StepResult<SelectOut> {
    const selection = selectRecords(doc, params.filter, params.format);
    if (!selection.ok) return selection;
    const bytes = encoder.encode(selection.records.join(RECORD_SEPARATORS[params.format]));
    return {
      ok: true,
      out: { bytes, matched: selection.records.length },
      skipped: selection.skipped,
      textLength: doc.text.length,
    };
  },
  transferables: (out) => [out.bytes.buffer as ArrayBuffer],
};
