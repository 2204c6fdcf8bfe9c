/** Messages between the select pool and its workers. */
import type { RecordFilter, RecordFormat } from "../core/record_selector.ts";

/** Read one file and keep its matching records. */
export interface FileJob {
  id: number;
  path: string;
  filter: RecordFilter;
  format: RecordFormat;
}

/**
 * The matching records of one file, serialised, joined with the format's separator
 * and UTF-8 encoded (transferred, not copied), or why the file was skipped.
 */
export type FileResult =
  | { id: number; ok: true; bytes: Uint8Array; matched: number; skipped: Record<string, number>; textLength: number }
  | { id: number; ok: false; issue: string };
