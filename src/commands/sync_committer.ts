/**
 * The writing side of `sync`: finished and failed files gather in a batch; a batch is
 * de-duplicated, appended (fsync) and recorded with its resume cursors in one
 * transaction, while the next batch gathers. A failed commit stops the run.
 */
import { SourceError } from "../runtime/errors.ts";
import type { Clock } from "../core/util/clock.ts";
import { dedupeBatch, linesPerPartition } from "../core/sync/sync_batch.ts";
import type { SyncOut } from "../core/sync/sync_partition.ts";
import { type Archive, UnknownArchiveData } from "../state/archive.ts";
import type { SyncState } from "../state/sync_state.ts";
import type { CursorMove, SyncJob } from "./sync_lister.ts";
import { errorMessage } from "../core/util/error_message.ts";

/** Files per commit at most, and the longest a finished file waits for its commit. */
const BATCH_FILES = 32;
const BATCH_MS = 500;

/** What the committer counted (committed files only). */
export interface CommitterCounts {
  files: number;
  failed: number;
  events: number;
  duplicates: number;
}

/** Options of {@link SyncCommitter}. */
export interface SyncCommitterOptions {
  state: SyncState;
  archive: Archive;
  /** Gives the cursors a batch moves, and is told when its jobs are recorded. */
  lister: { settle(jobs: SyncJob[]): CursorMove[]; release(jobs: SyncJob[]): void };
  clock: Clock;
  /** Says a failed file's error (once it is recorded). */
  warn(text: string): Promise<void>;
}

interface Taken {
  done: { job: SyncJob; out: SyncOut }[];
  failed: { job: SyncJob; error: string }[];
  cursors: CursorMove[];
}

/** Batches, de-duplicates and commits; see the module comment. */
export class SyncCommitter {
  readonly counts: CommitterCounts = { files: 0, failed: 0, events: 0, duplicates: 0 };
  #done: Taken["done"] = [];
  #failed: Taken["failed"] = [];
  #started: number;
  #committing: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(private readonly options: SyncCommitterOptions) {
    this.#started = options.clock.now();
  }

  /** A file's lines, to write with the next batch. */
  add(job: SyncJob, out: SyncOut): void {
    this.#done.push({ job, out });
  }

  /** A file that failed, to record (and retry on the next run). */
  fail(job: SyncJob, error: string): void {
    this.#failed.push({ job, error });
  }

  /** Commits the batch when it is full or old enough (waiting for the commit before it). */
  async tick(): Promise<void> {
    const size = this.#done.length + this.#failed.length;
    if (size >= BATCH_FILES || (size > 0 && this.options.clock.now() - this.#started >= BATCH_MS)) await this.flush();
  }

  /** Starts committing what has gathered, once the commit before it is done; throws when that one failed. */
  async flush(): Promise<void> {
    await this.#committing;
    if (this.#failure) throw this.#failure;
    const jobs = [...this.#done.map((d) => d.job), ...this.#failed.map((f) => f.job)];
    const taken: Taken = { done: this.#done, failed: this.#failed, cursors: this.options.lister.settle(jobs) };
    this.#done = [];
    this.#failed = [];
    this.#started = this.options.clock.now();
    this.#committing = this.#commit(taken).then(
      () => this.options.lister.release(jobs),
      (e) => void (this.#failure = e),
    );
  }

  /** Commits the rest and waits for it; throws when a commit failed. */
  async finish(): Promise<void> {
    await this.flush();
    await this.#committing;
    if (this.#failure) throw this.#failure;
  }

  /** Waits for the commit under way, if any, to end (its failure is not thrown): nothing writes after this. */
  async settled(): Promise<void> {
    await this.#committing;
  }

  async #commit({ done, failed, cursors }: Taken): Promise<void> {
    if (done.length === 0 && failed.length === 0 && cursors.length === 0) return;
    const { state, archive } = this.options;
    const outs = done.map((d) => d.out);
    let files: { events: number; duplicates: number }[] = [];
    try {
      await archive.prepare(linesPerPartition(outs));
      const rows = await state.transaction(async () => {
        const deduped = dedupeBatch(outs, (partition, keys) => state.claimKeys(partition, keys));
        files = deduped.files;
        const rows = await archive.append(deduped.appends);
        state.record({
          done: done.map((d, i) => ({ bucket: d.job.bucket, key: d.job.key, ...files[i]! })),
          failed: failed.map((f) => ({ bucket: f.job.bucket, key: f.job.key, error: f.error })),
          outputs: rows,
          cursors,
        });
        return rows;
      });
      archive.committed(rows);
    } catch (e) {
      archive.reset();
      if (e instanceof UnknownArchiveData) throw e;
      const why = errorMessage(e);
      throw new SourceError(`cannot write to the archive in "${archive.dir}": ${why}`, { cause: e });
    }
    for (const f of failed) await this.options.warn(f.error);
    this.counts.files += done.length + failed.length;
    this.counts.failed += failed.length;
    for (const d of files) {
      this.counts.events += d.events;
      this.counts.duplicates += d.duplicates;
    }
  }
}
