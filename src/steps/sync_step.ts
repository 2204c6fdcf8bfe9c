/**
 * The `sync` step: one CloudTrail log file -> its records as compact JSON lines,
 * grouped by archive partition, each with its de-duplication key. The lines are
 * the records' own text where the file is laid out as CloudTrail writes it (numbers
 * and key order kept byte for byte), else re-serialised with number literals kept.
 */
import { countInto } from "../core/counts.ts";
import { documentRecords, type RecordDocument } from "../core/record_document.ts";
import { recordSlices } from "../core/role_record_slices.ts";
import { dedupKey, type PartitionLines, partitionOf, type SyncOut } from "../core/sync_partition.ts";
import { isObject } from "../core/data_table.ts";
import { RawNumber } from "../output/python_json.ts";
import type { RecordStep, StepResult } from "./record_step.ts";

const encoder = new TextEncoder();
const rawJson = (JSON as typeof JSON & { rawJSON(text: string): unknown }).rawJSON;
const keepNumber = (source: string) => new RawNumber(source);
const asWritten = (_key: string, value: unknown) => (value instanceof RawNumber ? rawJson(value.source) : value);

/** Each record's line: its own text when the slices are exact, else JSON with number literals kept. */
function recordLines(doc: RecordDocument): { ok: true; lines: [Record<string, unknown> | undefined, string][] } | {
  ok: false;
  issue: string;
} {
  const slices = doc.format === "records" ? recordSlices(doc.text) : undefined;
  if (slices && slices.every((s) => !s.includes("\n"))) {
    try {
      return { ok: true, lines: slices.map((s) => [JSON.parse(s) as Record<string, unknown>, s]) };
    } catch { /* a cut inside a record: parse the whole file below */ }
  }
  const parsed = documentRecords(doc, keepNumber);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    lines: parsed.records.map((r) => [isObject(r) ? r : undefined, JSON.stringify(r, asWritten)]),
  };
}

/**
 * The lines joined with newlines, as UTF-8, and where each line ends. One encode of
 * the whole text; when it is ASCII (as many bytes as characters, the usual case) the
 * ends are character counts, else each line is measured.
 */
function encodeLines(lines: string[]): { bytes: Uint8Array; ends: Uint32Array } {
  const text = lines.join("\n") + "\n";
  const bytes = encoder.encode(text);
  const ends = new Uint32Array(lines.length);
  const ascii = bytes.length === text.length;
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    offset += (ascii ? lines[i]!.length : encoder.encode(lines[i]!).length) + 1;
    ends[i] = offset;
  }
  return { bytes, ends };
}

/** The sync step for the worker pool: per-partition buffers come back transferred. */
export const syncStep: RecordStep<Record<string, never>, SyncOut> = {
  apply(doc): StepResult<SyncOut> {
    const read = recordLines(doc);
    if (!read.ok) return read;
    const skipped: Record<string, number> = {};
    const groups = new Map<string, { keys: string[]; lines: string[] }>();
    let withoutId = 0;
    for (const [raw, text] of read.lines) {
      if (!raw) {
        countInto(skipped, "not an object");
        continue;
      }
      const key = dedupKey(raw, text);
      if (key.startsWith("sha:")) withoutId++;
      const partition = partitionOf(raw);
      const group = groups.get(partition) ?? { keys: [], lines: [] };
      group.keys.push(key);
      group.lines.push(text);
      groups.set(partition, group);
    }
    const partitions: PartitionLines[] = [];
    for (const [partition, { keys, lines }] of groups) {
      const { bytes, ends } = encodeLines(lines);
      partitions.push({ partition, keys, ends, bytes });
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
