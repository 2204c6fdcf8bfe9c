/**
 * The validation states `sync --validate` records in the sync state DB: one row per
 * archived log file and per digest, in a table of its own (`file_states`) beside the
 * sync tables, so the archive's integrity can be queried (SQLite, or DuckDB's sqlite
 * extension).
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { type DigestUnit, logKeyUnit, unitRoot } from "../core/digest/digest_key.ts";
import type { FileResult } from "../core/digest/digest_state.ts";
import { parseLogFileName } from "../core/aws/log_file_name.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS file_states (
  bucket TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL, reason TEXT,
  checked_at TEXT NOT NULL, PRIMARY KEY (bucket, key)) WITHOUT ROWID;
`;

/** A unit of a bucket whose log files were archived, and the delivery range they span. */
export interface ArchivedUnit {
  unit: DigestUnit;
  from: number;
  to: number;
}

/** The `file_states` table of a sync state DB. */
export class ValidationState {
  readonly #db: DatabaseSync;
  readonly #upsert: StatementSync;

  private constructor(db: DatabaseSync) {
    this.#db = db;
    this.#upsert = db.prepare(
      `INSERT INTO file_states (bucket, key, kind, state, reason, checked_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (bucket, key) DO UPDATE SET kind = excluded.kind, state = excluded.state,
       reason = excluded.reason, checked_at = excluded.checked_at`,
    );
  }

  /** Opens the state DB at `path` (the sync's) and creates the table if needed. */
  static open(path: string): ValidationState {
    const db = new DatabaseSync(path);
    db.exec("PRAGMA busy_timeout = 5000;");
    db.exec(SCHEMA);
    return new ValidationState(db);
  }

  /**
   * Every unit below `prefix` of `bucket` with archived log files not yet found valid (never checked, or
   * checked and not valid: checked again), and the range of their deliveries. Units whose every archived
   * file is valid are not checked again.
   */
  archivedUnits(bucket: string, prefix: string): ArchivedUnit[] {
    const units = new Map<string, ArchivedUnit>();
    const rows = this.#db.prepare(
      `SELECT f.key FROM files f LEFT JOIN file_states v ON v.bucket = f.bucket AND v.key = f.key
       WHERE f.bucket = ? AND f.status = 'done' AND f.key >= ? AND (v.state IS NULL OR v.state != 'valid')
       ORDER BY f.key`,
    )
      .iterate(bucket, prefix) as Iterable<{ key: string }>;
    for (const { key } of rows) {
      if (!key.startsWith(prefix)) break;
      const unit = logKeyUnit(key);
      const delivered = parseLogFileName(key.slice(key.lastIndexOf("/") + 1))?.delivered;
      if (!unit || delivered === undefined || unit.prefix !== prefix) continue;
      const id = `${unitRoot(unit)}${unit.region}`;
      const known = units.get(id);
      if (!known) units.set(id, { unit, from: delivered, to: delivered });
      else {
        known.from = Math.min(known.from, delivered);
        known.to = Math.max(known.to, delivered);
      }
    }
    return [...units.values()];
  }

  /** Records results of `bucket` in one transaction. */
  record(bucket: string, results: FileResult[], checkedAt: string): void {
    this.#db.exec("BEGIN");
    try {
      for (const r of results) this.#upsert.run(bucket, r.key, r.kind, r.state, r.reason ?? null, checkedAt);
      this.#db.exec("COMMIT");
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    }
  }

  close(): void {
    this.#db.close();
  }
}

/**
 * Copies the validation states of the state DB at `from` (if it has any) into the one at `to`: what a rebuild of the
 * state keeps from the old DB, as the archive does not hold it. Returns how many were copied.
 */
export function copyValidationStates(from: string, to: string): number {
  const old = new DatabaseSync(from, { readOnly: true });
  try {
    const has = old.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'file_states'").get();
    if (!has) return 0;
    const rows = old.prepare("SELECT bucket, key, kind, state, reason, checked_at FROM file_states").iterate();
    const db = new DatabaseSync(to);
    try {
      db.exec(SCHEMA);
      const insert = db.prepare(
        `INSERT OR IGNORE INTO file_states (bucket, key, kind, state, reason, checked_at)
         VALUES (:bucket, :key, :kind, :state, :reason, :checked_at)`,
      );
      let copied = 0;
      db.exec("BEGIN");
      try {
        for (const row of rows) copied += Number(insert.run(row as Record<string, string | null>).changes);
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
      return copied;
    } finally {
      db.close();
    }
  } finally {
    old.close();
  }
}
