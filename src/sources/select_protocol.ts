/** Messages between the select pool and its workers. */
import type { RecordFilter, RecordFormat } from "../core/record_selector.ts";

/** Read one file and keep its matching records. */
export interface FileJob {
  id: number;
  path: string;
  filter: RecordFilter;
  format: RecordFormat;
}

/** The matching records of one file (serialised), or why the file was skipped. */
export type FileResult =
  | { id: number; ok: true; records: string[]; total: number; skipped: Record<string, number> }
  | { id: number; ok: false; issue: string };
