/** How `select` prints records: a `{"Records": [...]}` document or JSON Lines. */

/** Output formats of `select`. */
export type RecordFormat = "json" | "jsonl";

/** What stands between two records in each format. */
export const RECORD_SEPARATORS: Record<RecordFormat, string> = { json: ", ", jsonl: "\n" };
