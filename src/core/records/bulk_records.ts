/**
 * Bulk parsing of stdin: a chunk cut at a likely record boundary is parsed with one
 * `JSON.parse`. Success proves the cut: a parse of `[chunk]` that succeeds means the
 * chunk is exactly a run of whole values (a cut inside a string or an object would
 * leave a bracket or a quote open). Failure proves nothing, and the caller hands the
 * input from there to the streaming parser, which finds the real boundaries (and the
 * exact position of a real error).
 */
import { isRecordArray, RECORD_KEYS } from "./record_stream_parser.ts";
import { isObject } from "../util/data_table.ts";

/** `elements`: comma-separated elements of a Records array. `lines`: one top-level value per line. */
export type ChunkMode = "elements" | "lines";

/** Line ends in a chunk and the UTF-16 units after the last one: how far it moves the input position. */
export interface ChunkGeometry {
  newlines: number;
  tail: number;
}

/** The records of a chunk, or undefined when it is not what the cut assumed (or not valid JSON). */
export function bulkRecords(mode: ChunkMode, text: string): unknown[] | undefined {
  try {
    if (mode === "elements") return JSON.parse(`[${text}]`) as unknown[];
    const records: unknown[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const value: unknown = JSON.parse(line);
      if (isRecordArray(value)) return undefined; // the streaming parser names the mistake
      if (!isObject(value)) records.push(value); // not a record: the consumer skips and counts it
      else if (Object.hasOwn(value, "Records")) {
        if (!Array.isArray(value.Records)) return undefined;
        records.push(...value.Records);
      } else if (RECORD_KEYS.some((k) => Object.hasOwn(value, k))) records.push(value);
      else return undefined;
    }
    return records;
  } catch {
    return undefined;
  }
}

/** How a chunk's text moves the input position. */
export function chunkGeometry(text: string): ChunkGeometry {
  let newlines = 0;
  let last = -1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    newlines++;
    last = i;
  }
  return { newlines, tail: text.length - last - 1 };
}

/** The position after a chunk that starts at `at` (1-based line and column). */
export function advance(at: { line: number; column: number }, g: ChunkGeometry): { line: number; column: number } {
  return g.newlines > 0
    ? { line: at.line + g.newlines, column: g.tail + 1 }
    : { line: at.line, column: at.column + g.tail };
}
