/**
 * The schema of the `sync` state DB and its version (`PRAGMA user_version`): created
 * in a new DB, stamped where an unversioned DB already has this layout, refused (with
 * what was found) where it is older or newer than this code knows.
 */
import type { DatabaseSync } from "node:sqlite";

/** The state DB has a schema this version cannot use (older without a migration, or newer). */
export class StateVersionError extends Error {
  override name = "StateVersionError";
}

/** The schema version this code writes (`PRAGMA user_version`). Version 0 with these tables is version 1 unstamped. */
export const STATE_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
  bucket TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL, events INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0, error TEXT, attempts INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (bucket, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cursors (bucket TEXT NOT NULL, prefix TEXT NOT NULL, last_key TEXT NOT NULL,
  PRIMARY KEY (bucket, prefix)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, partition TEXT NOT NULL, part INTEGER NOT NULL,
  length INTEGER NOT NULL, lines INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outputs_by_partition ON outputs (partition, part);
CREATE TABLE IF NOT EXISTS partitions (pid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS seen (pid INTEGER NOT NULL, key TEXT NOT NULL, PRIMARY KEY (pid, key)) WITHOUT ROWID;
`;

function tableNames(db: DatabaseSync): Set<string> {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/**
 * Brings the schema to {@link STATE_VERSION}: creates it in a new DB, stamps version 0
 * that already has this layout, and refuses an older layout (keys not scoped by
 * partition: only a rebuild from the archive can scope them) or a newer version.
 */
export function migrate(db: DatabaseSync, readOnly: boolean): void {
  const version = (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
  if (version > STATE_VERSION) {
    throw new StateVersionError(
      `it has schema version ${version}, written by a newer trailscraper (this one reads up to ${STATE_VERSION})`,
    );
  }
  if (version === STATE_VERSION) return;
  const tables = tableNames(db);
  if (tables.size > 0 && !tables.has("partitions")) {
    throw new StateVersionError(
      "it has the schema of an earlier trailscraper (version 0, event keys not scoped by partition)",
    );
  }
  if (readOnly) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(SCHEMA);
    db.exec(`PRAGMA user_version = ${STATE_VERSION}`);
    db.exec("COMMIT");
  } catch (e) {
    db.exec("ROLLBACK");
    throw e;
  }
}
