/**
 * The `sync` step: one CloudTrail log file -> its records as compact JSON lines,
 * grouped by archive partition, each with its de-duplication key. The lines are
 * the records' own text where the file is laid out as CloudTrail writes it (numbers
 * and key order kept byte for byte), else re-serialised with number literals kept.
 */
import { countInto } from "../core/util/counts.ts";
import { isObject } from "../core/util/data_table.ts";
import { documentRecords, type RecordDocument } from "../core/records/record_document.ts";
import { jsonStringsValid, MAX_RECORD_DEPTH, scanRecord, TOO_DEEP } from "../core/records/record_scan.ts";
import { processingIssue } from "../core/util/processing_issue.ts";
import { recordSpans } from "../core/sync/sync_record_spans.ts";
import { recordBounds } from "../core/records/role_record_slices.ts";
import { archivePartitionOf, dedupKey, type PartitionLines, type SyncOut } from "../core/sync/sync_partition.ts";
import { RawNumber } from "../output/python_json.ts";
import type { RecordStep, StepResult } from "./record_step.ts";

const encoder = new TextEncoder();
const NEWLINE = 0x0a;
const rawJson = (JSON as typeof JSON & { rawJSON(text: string): unknown }).rawJSON;
const keepNumber = (source: string) => new RawNumber(source);
const keepNumbers = (_key: string, value: unknown, context?: { source?: string }) =>
  typeof value === "number" && context?.source !== undefined ? keepNumber(context.source) : value;
const asWritten = (_key: string, value: unknown) => (value instanceof RawNumber ? rawJson(value.source) : value);

/** A record, its line's text, and where that text lies in the document's bytes (when it can be copied from there). */
interface Line {
  raw: Record<string, unknown> | undefined;
  text: string;
  bytes?: [number, number];
  /** Why the record is not archived, when it is an object that cannot be (nested too deeply). */
  skip?: string;
}

const TOO_DEEP_REASON = `nested too deeply (over ${MAX_RECORD_DEPTH} levels)`;

/**
 * Each record's line: its own text when the file is laid out as CloudTrail writes it
 * (every slice scans as one object and the file holds no line break), else JSON with number
 * literals kept. When the document is ASCII, character offsets are byte offsets and a
 * line is copied from the bytes instead of encoded again.
 */
function recordLines(doc: RecordDocument): { ok: true; lines: Line[] } | { ok: false; issue: string } {
  // A control character or an invalid escape anywhere (the scanner does not look inside strings), or a line break,
  // makes some record's line unsafe: read the whole file below.
  const bounds = doc.format === "records" && jsonStringsValid(doc.text) ? recordBounds(doc.text) : undefined;
  if (bounds) {
    const ascii = doc.bytes !== undefined && doc.bytes.length === doc.text.length;
    const lines: Line[] = [];
    for (const [start, end] of bounds) {
      // Only the fields that place and key a record are read; the line is the record's own text.
      const raw = scanRecord(doc.text, start, end);
      if (!raw) break; // a cut inside a record, or not JSON: read the whole file below
      if (raw === TOO_DEEP) {
        lines.push({ raw: undefined, text: "", skip: TOO_DEEP_REASON });
        continue;
      }
      lines.push({
        raw,
        text: doc.text.slice(start, end),
        ...(ascii ? { bytes: [start, end] as [number, number] } : {}),
      });
    }
    if (lines.length === bounds.length) return { ok: true, lines };
  }
  return doc.format === "records" ? spannedLines(doc) : parsedLines(doc);
}

/** Each record of a JSON Lines document, re-serialised with number literals kept. */
function parsedLines(doc: RecordDocument): { ok: true; lines: Line[] } | { ok: false; issue: string } {
  const parsed = documentRecords(doc, keepNumber);
  if (!parsed.ok) return parsed;
  return { ok: true, lines: parsed.records.map(guarded(serialised)) };
}

/**
 * Each record of a document JSON.parse takes, read on its own: one nested too deeply to read
 * back is skipped and counted, the others re-serialised with number literals kept.
 */
function spannedLines(doc: RecordDocument): { ok: true; lines: Line[] } | { ok: false; issue: string } {
  const plain = documentRecords(doc); // iterative: takes any depth; the whole document must be JSON
  if (!plain.ok) return plain;
  const spans = recordSpans(doc.text);
  if (!spans || spans.length !== plain.records.length) return { ok: false, issue: 'no "Records" array' };
  return {
    ok: true,
    lines: spans.map(({ start, end, depth }) => {
      if (depth > MAX_RECORD_DEPTH) return { raw: undefined, text: "", skip: TOO_DEEP_REASON };
      return guarded(() => serialised(JSON.parse(doc.text.slice(start, end), keepNumbers)))(undefined);
    }),
  };
}

/** `make`, or the line of a record skipped with why it could not be processed (it threw: nested too deeply...). */
function guarded<T>(make: (value: T) => Line): (value: T) => Line {
  return (value) => {
    try {
      return make(value);
    } catch (e) {
      return { raw: undefined, text: "", skip: processingIssue(e) };
    }
  };
}

/** A parsed record's line: JSON with number literals kept. A number comes back as a RawNumber: not a record. */
function serialised(r: unknown): Line {
  const raw = isObject(r) && !(r instanceof RawNumber) ? r : undefined;
  return { raw, text: raw ? JSON.stringify(r, asWritten) : "" };
}

/** The lines joined with newlines, as UTF-8, and where each line ends: copied from the source bytes, or encoded. */
function lineBytes(lines: Line[], source: Uint8Array | undefined): { bytes: Uint8Array; ends: Uint32Array } {
  const ends = new Uint32Array(lines.length);
  if (source && lines.every((l) => l.bytes)) {
    const bytes = new Uint8Array(lines.reduce((n, l) => n + l.bytes![1] - l.bytes![0] + 1, 0));
    let offset = 0;
    lines.forEach((l, i) => {
      bytes.set(source.subarray(l.bytes![0], l.bytes![1]), offset);
      offset += l.bytes![1] - l.bytes![0];
      bytes[offset++] = NEWLINE;
      ends[i] = offset;
    });
    return { bytes, ends };
  }
  const encoded = lines.map((l) => encoder.encode(l.text));
  const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length + 1, 0));
  let offset = 0;
  encoded.forEach((e, i) => {
    bytes.set(e, offset);
    offset += e.length;
    bytes[offset++] = NEWLINE;
    ends[i] = offset;
  });
  return { bytes, ends };
}

/** The sync step for the worker pool: per-partition buffers come back transferred. */
export const syncStep: RecordStep<Record<string, never>, SyncOut> = {
  apply(doc): StepResult<SyncOut> {
    const read = recordLines(doc);
    if (!read.ok) return read;
    const skipped: Record<string, number> = {};
    const groups = new Map<string, { keys: string[]; lines: Line[] }>();
    let withoutId = 0;
    for (const line of read.lines) {
      if (line.skip) {
        countInto(skipped, line.skip);
        continue;
      }
      if (!line.raw) {
        countInto(skipped, "not an object");
        continue;
      }
      const key = dedupKey(line.raw, line.text);
      if (key.startsWith("sha:")) withoutId++;
      const partition = archivePartitionOf(line.raw);
      const group = groups.get(partition) ?? { keys: [], lines: [] };
      group.keys.push(key);
      group.lines.push(line);
      groups.set(partition, group);
    }
    const partitions: PartitionLines[] = [];
    for (const [partition, { keys, lines }] of groups) {
      partitions.push({ partition, keys, ...lineBytes(lines, doc.bytes) });
    }
    return {
      ok: true,
      out: { partitions, records: read.lines.length, withoutId },
      skipped,
      textLength: doc.text.length,
    };
  },
  transferables: (out) => out.partitions.flatMap((p) => [p.bytes.buffer as ArrayBuffer, p.ends.buffer as ArrayBuffer]),
};
