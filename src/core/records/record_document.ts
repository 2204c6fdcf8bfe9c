/** The raw records of one document: a CloudTrail log file's `{"Records": [...]}` or JSON Lines. */

/** How a document holds its records: one `{"Records": [...]}` object, or one record per line. */
export type DocumentFormat = "records" | "lines";

/** One unit of input text and how it holds its records. */
export interface RecordDocument {
  text: string;
  format: DocumentFormat;
  /** The UTF-8 bytes the text was decoded from, when it was read from bytes (lets a step copy records unencoded). */
  bytes?: Uint8Array;
}

/** A number literal kept as written (see `output/python_json.ts`), made by a reviver. */
export type NumberKeeper = (source: string) => unknown;

/** The records of a document, the lines that did not parse (JSON Lines only), or why there are none. */
export type DocumentRecords =
  | { ok: true; records: unknown[]; badLines: number }
  | { ok: false; issue: string };

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

function reviverFor(keep: NumberKeeper | undefined): Reviver | undefined {
  if (!keep) return undefined;
  return (_key, value, context) =>
    typeof value === "number" && context?.source !== undefined ? keep(context.source) : value;
}

function parse(text: string, reviver: Reviver | undefined): unknown {
  return reviver ? JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]) : JSON.parse(text);
}

/**
 * Parses a document's records. `keepNumbers`, when given, replaces every number with
 * what it returns for the number's literal text. A JSON Lines document skips and
 * counts lines that do not parse; a records document that does not parse is an issue.
 */
export function documentRecords(doc: RecordDocument, keepNumbers?: NumberKeeper): DocumentRecords {
  if (doc.text.length === 0) return { ok: false, issue: "empty file" };
  const reviver = reviverFor(keepNumbers);
  if (doc.format === "lines") return lineRecords(doc.text, reviver);
  let document: unknown;
  try {
    document = parse(doc.text, reviver);
  } catch {
    return { ok: false, issue: "invalid JSON" };
  }
  const records = (document as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) ? { ok: true, records, badLines: 0 } : { ok: false, issue: 'no "Records" array' };
}

function lineRecords(text: string, reviver: Reviver | undefined): DocumentRecords {
  const records: unknown[] = [];
  let badLines = 0;
  for (const line of documentLines(text)) {
    try {
      records.push(parse(line, reviver));
    } catch {
      badLines++;
    }
  }
  return { ok: true, records, badLines };
}

/** The non-blank lines of a JSON Lines text (`\n` or `\r\n` line ends). */
export function documentLines(text: string): string[] {
  return text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)).filter((l) => l.trim() !== "");
}
