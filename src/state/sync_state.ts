/**
 * The `sync` state in SQLite (WAL): which S3 files are done or failed, where each
 * account/region listing may resume, the ledger of committed output lengths, and
 * every de-duplication key written. One process writes it; every change that says a
 * file is done commits in one transaction with its keys and the output lengths.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { migrate } from "./state_schema.ts";

export { STATE_VERSION, StateVersionError } from "./state_schema.ts";

/** A failed file, to retry. */
export interface FailedFile {
  bucket: string;
  key: string;
  error: string;
  attempts: number;
}

/** An output file's committed state. */
export interface OutputFile {
  path: string;
  partition: string;
  part: number;
  length: number;
  lines: number;
}

/** What one commit records besides the keys it claimed. */
export interface SyncCommit {
  done: { bucket: string; key: string; events: number; duplicates: number }[];
  failed: { bucket: string; key: string; error: string }[];
  outputs: OutputFile[];
  cursors: { bucket: string; prefix: string; lastKey: string }[];
}

/** Partition ids kept in memory at most (a run over years of an organization touches millions of partitions). */
const PARTITION_IDS_KEPT = 10_000;

/** Keys checked and inserted per statement (passed as one JSON array). */
const CLAIM_CHUNK = 2000;

/** The state DB was made for another archive or other trails. */
export class StateMismatch extends Error {
  override name = "StateMismatch";
}

/** Options of {@link SyncState.open}. */
export interface OpenStateOptions {
  /**
   * Only read (`sync --dry-run`): nothing is stamped or migrated. SQLite still makes
   * `-wal`/`-shm` files beside a WAL database; the caller holds the lock and removes them.
   */
  readOnly?: boolean;
}

/** The sync state of one archive. */
export class SyncState {
  readonly #db: DatabaseSync;
  readonly #claim: StatementSync;
  readonly #pids = new Map<string, number>();
  readonly #fileStatus: StatementSync;
  readonly #upsertFile: StatementSync;
  readonly #upsertOutput: StatementSync;
  readonly #upsertCursor: StatementSync;

  private constructor(db: DatabaseSync) {
    this.#db = db;
    // Keys go in as one JSON array per statement: one bound string instead of thousands of parameters.
    this.#claim = db.prepare("INSERT OR IGNORE INTO seen (pid, key) SELECT ?, value FROM json_each(?) RETURNING key");
    this.#fileStatus = db.prepare("SELECT status FROM files WHERE bucket = ? AND key = ?");
    this.#upsertFile = db.prepare(
      `INSERT INTO files (bucket, key, status, events, duplicates, error, attempts) VALUES (?, ?, ?, ?, ?, ?, 1)
       ON CONFLICT (bucket, key) DO UPDATE SET status = excluded.status, events = excluded.events,
       duplicates = excluded.duplicates, error = excluded.error, attempts = files.attempts + 1`,
    );
    this.#upsertOutput = db.prepare(
      `INSERT INTO outputs (path, partition, part, length, lines) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET length = excluded.length, lines = excluded.lines`,
    );
    this.#upsertCursor = db.prepare(
      `INSERT INTO cursors (bucket, prefix, last_key) VALUES (?, ?, ?)
       ON CONFLICT (bucket, prefix) DO UPDATE SET last_key = max(cursors.last_key, excluded.last_key)`,
    );
  }

  /**
   * Opens (or creates) the state at `path` for an archive in `eventsDir` fed by
   * `trails` (`bucket/prefix` strings). A state made for another events dir, or for
   * trails of which none is in this config, is refused with a StateMismatch.
   */
  static open(
    path: string,
    identity: { eventsDir: string; trails: string[] },
    options: OpenStateOptions = {},
  ): SyncState {
    const db = new DatabaseSync(path, options.readOnly ? { readOnly: true } : {});
    try {
      // WAL, and a commit fsynced at checkpoints: a commit lost to a power cut only makes its files be read again
      // (their output is cut back to the ledger). A 16 MB page cache keeps the active partitions' keys in memory.
      if (!options.readOnly) db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
      db.exec("PRAGMA busy_timeout = 5000; PRAGMA cache_size = -16384;");
      migrate(db, options.readOnly ?? false);
      const state = new SyncState(db);
      state.#checkIdentity(identity, options.readOnly ?? false);
      return state;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  #checkIdentity(identity: { eventsDir: string; trails: string[] }, readOnly: boolean): void {
    const get = (key: string) =>
      (this.#db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
    const eventsDir = get("events_dir");
    const trails = get("trails");
    if (eventsDir !== undefined && eventsDir !== identity.eventsDir) {
      throw new StateMismatch(`it belongs to the archive in "${eventsDir}", not "${identity.eventsDir}"`);
    }
    if (trails !== undefined) {
      // Older runs kept a prefix as written (`s3://b/logs`); trails are compared as normalised (`s3://b/logs/`).
      const known = (JSON.parse(trails) as string[]).map((t) => (t.endsWith("/") ? t : `${t}/`));
      if (!known.some((t) => identity.trails.includes(t))) {
        throw new StateMismatch(`it was made for ${known.join(", ")}; this config has ${identity.trails.join(", ")}`);
      }
    }
    if (readOnly) return;
    const all = [
      ...new Set(
        [...(trails ? JSON.parse(trails) as string[] : []), ...identity.trails].map((
          t,
        ) => (t.endsWith("/") ? t : `${t}/`)),
      ),
    ].sort();
    const put = this.#db.prepare(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
    put.run("events_dir", identity.eventsDir);
    put.run("trails", JSON.stringify(all));
  }

  /** True when the ledger knows at least one output file (a state that is new, emptied or replaced knows none). */
  hasOutputs(): boolean {
    return this.#db.prepare("SELECT 1 FROM outputs LIMIT 1").get() !== undefined;
  }

  /** Where the listing of `prefix` in `bucket` may resume (the last key before which everything is recorded). */
  cursor(bucket: string, prefix: string): string | undefined {
    const row = this.#db.prepare("SELECT last_key FROM cursors WHERE bucket = ? AND prefix = ?").get(bucket, prefix) as
      | { last_key: string }
      | undefined;
    return row?.last_key;
  }

  /** True when the file is recorded, done or failed (failed ones are retried from {@link failedFiles}). */
  isRecorded(bucket: string, key: string): boolean {
    return this.#fileStatus.get(bucket, key) !== undefined;
  }

  /** Files that failed, for a retry. */
  failedFiles(): FailedFile[] {
    return this.#db.prepare(
      "SELECT bucket, key, error, attempts FROM files WHERE status = 'failed' ORDER BY bucket, key",
    )
      .all() as unknown as FailedFile[];
  }

  /** Gives a partition its id, outside any transaction (an id rolled back would be reused for another name). */
  preparePartition(partition: string): void {
    let pid = this.#pids.get(partition);
    if (pid === undefined) {
      if (this.#pids.size >= PARTITION_IDS_KEPT) this.#pids.clear(); // memory stays flat however many partitions
      this.#db.prepare("INSERT OR IGNORE INTO partitions (name) VALUES (?)").run(partition);
      pid = (this.#db.prepare("SELECT pid FROM partitions WHERE name = ?").get(partition) as { pid: number }).pid;
      this.#pids.set(partition, pid);
    }
  }

  /**
   * Claims de-duplication keys of one partition inside {@link transaction}: true for
   * each key not written before (nor earlier in `keys`), false for a duplicate.
   * Keys are scoped to their partition (the same event always lands in the same one),
   * which keeps the index's active part small and in the page cache.
   */
  claimKeys(partition: string, keys: string[]): boolean[] {
    const pid = this.#pids.get(partition) ??
      (this.#db.prepare("SELECT pid FROM partitions WHERE name = ?").get(partition) as { pid: number } | undefined)
        ?.pid;
    if (pid === undefined) throw new Error(`partition "${partition}" was not prepared`);
    const fresh = new Array<boolean>(keys.length).fill(false);
    const firstAt = new Map<string, number>();
    keys.forEach((k, i) => firstAt.has(k) || firstAt.set(k, i));
    const unique = [...firstAt.keys()];
    for (let i = 0; i < unique.length; i += CLAIM_CHUNK) {
      // One statement: the rows it inserts are the keys not written before (RETURNING reports only those).
      const inserted = this.#claim.all(pid, JSON.stringify(unique.slice(i, i + CLAIM_CHUNK))) as { key: string }[];
      for (const row of inserted) fresh[firstAt.get(row.key)!] = true;
    }
    return fresh;
  }

  /** Every output file with its committed length. */
  outputs(): OutputFile[] {
    return this.#db.prepare("SELECT path, partition, part, length, lines FROM outputs ORDER BY path")
      .all() as unknown as OutputFile[];
  }

  /** The newest part of a partition, if it has one. */
  lastPart(partition: string): OutputFile | undefined {
    return this.#db.prepare(
      "SELECT path, partition, part, length, lines FROM outputs WHERE partition = ? ORDER BY part DESC LIMIT 1",
    ).get(partition) as OutputFile | undefined;
  }

  /** Records an output file before anything is written to it (length 0), so a crash can never leave it unknown. */
  announceOutput(file: OutputFile): void {
    this.#upsertOutput.run(file.path, file.partition, file.part, file.length, file.lines);
  }

  /**
   * Runs `work` in one write transaction and commits it, or rolls it back when it
   * throws: keys claimed, output rows and files recorded count together or not at all.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = await work();
      this.#db.exec("COMMIT");
      return result;
    } catch (e) {
      this.#db.exec("ROLLBACK");
      this.#pids.clear(); // ids given inside the transaction are gone with it
      throw e;
    }
  }

  /** Records output lengths (already fsynced), files done or failed, and cursors, inside {@link transaction}. */
  record(batch: SyncCommit): void {
    for (const o of batch.outputs) this.#upsertOutput.run(o.path, o.partition, o.part, o.length, o.lines);
    for (const f of batch.done) this.#upsertFile.run(f.bucket, f.key, "done", f.events, f.duplicates, null);
    for (const f of batch.failed) this.#upsertFile.run(f.bucket, f.key, "failed", 0, 0, f.error);
    for (const c of batch.cursors) this.#upsertCursor.run(c.bucket, c.prefix, c.lastKey);
  }

  close(): void {
    this.#db.close();
  }
}
