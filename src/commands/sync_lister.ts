/**
 * The listing side of `sync`: failed files to retry, then every account/region folder
 * of every trail, listed from where it may resume. It owns what listing needs to be
 * trusted: each folder once, each key at most once per run whatever the store returns
 * (a key repeated across pages, a trail named twice), and the resume cursors, which
 * only move past keys that are recorded.
 */
import { ListingCursor, resumeAfter } from "../core/aws/listing_cursor.ts";
import type { LogFolder } from "../sources/s3_discovery.ts";

/** Where listings come from (S3 in a run, arrays in a test). */
export interface ListingSource {
  /** The account/region folders of a trail. */
  folders(bucket: string, prefix: string): AsyncIterable<LogFolder>;
  /** The log file keys of a folder, in key order, after `startAfter`. */
  keys(folder: LogFolder, startAfter: string | undefined): AsyncIterable<string>;
}

/** What the lister reads of the state. */
export interface ListedState {
  cursor(bucket: string, prefix: string): string | undefined;
  isRecorded(bucket: string, key: string): boolean;
  failedFiles(): { bucket: string; key: string }[];
}

/** A file to fetch: where it is, and the listing it came from (none for a retry of a failed file). */
export interface SyncJob {
  bucket: string;
  key: string;
  cursor?: { prefix: string; tracker: ListingCursor };
}

/** A listing cursor to record with the next commit. */
export interface CursorMove {
  bucket: string;
  prefix: string;
  lastKey: string;
}

/** Options of {@link SyncLister}. */
export interface SyncListerOptions {
  trails: { bucket: string; prefix: string }[];
  signal: AbortSignal;
  /** A listing failed: the problem's text (the run goes on and fails at the end), or throw to stop. */
  problem(error: unknown, bucket: string, prefix: string): string;
  /** `--dry-run`: count what would be fetched per folder instead of yielding it. */
  onPlanned?: (folder: LogFolder, files: number) => Promise<void>;
}

/** What the lister counted. */
export interface ListerCounts {
  folders: number;
  /** Listed keys an earlier run had already recorded. */
  already: number;
  /** Keys the store listed again (or another trail listed), passed over. */
  repeated: number;
  /** Listings (of a trail's folders or of a folder's keys) that failed; the run fails at the end. */
  failedListings: number;
}

const id = (bucket: string, key: string) => `${bucket}\n${key}`;

/** Lists the jobs of one run; see the module comment. */
export class SyncLister {
  readonly counts: ListerCounts = { folders: 0, already: 0, repeated: 0, failedListings: 0 };
  readonly problems: string[] = [];
  /** Keys handed out and not yet recorded: a key listed again meanwhile is passed over. */
  readonly #active = new Set<string>();
  readonly #folders = new Set<string>();
  /** Cursors moved past keys recorded before this run, committed with the next batch. */
  readonly #moved = new Map<string, CursorMove>();

  constructor(
    private readonly source: ListingSource,
    private readonly state: ListedState,
    private readonly options: SyncListerOptions,
  ) {}

  /** Every job of the run: failed files first, then each trail's folders in listing order. */
  async *jobs(): AsyncGenerator<SyncJob> {
    if (!this.options.onPlanned) {
      // A listing that meets a failed file passes it over: the state has it (as failed) while it is retried here.
      for (const failed of this.state.failedFiles()) yield { bucket: failed.bucket, key: failed.key };
    }
    for (const trail of this.options.trails) {
      const folders: LogFolder[] = [];
      try {
        for await (const folder of this.source.folders(trail.bucket, trail.prefix)) {
          if (this.#folders.has(id(folder.bucket, folder.prefix))) continue; // another trail lists it
          this.#folders.add(id(folder.bucket, folder.prefix));
          folders.push(folder);
        }
      } catch (error) {
        if (this.options.signal.aborted) return;
        this.counts.failedListings++;
        this.problems.push(this.options.problem(error, trail.bucket, `${trail.prefix}AWSLogs/`));
        continue;
      }
      this.counts.folders += folders.length;
      for (const folder of folders) {
        if (this.options.signal.aborted) return;
        yield* this.#folderJobs(folder);
      }
    }
  }

  async *#folderJobs(folder: LogFolder): AsyncGenerator<SyncJob> {
    const tracker = new ListingCursor();
    const planned: string[] = [];
    let last: string | undefined;
    try {
      const startAfter = resumeAfter(folder.prefix, this.state.cursor(folder.bucket, folder.prefix));
      for await (const key of this.source.keys(folder, startAfter)) {
        const job = id(folder.bucket, key);
        const again = last !== undefined && key <= last;
        if (!again) last = key;
        if (this.#active.has(job)) {
          this.counts.repeated++;
          continue;
        }
        if (this.state.isRecorded(folder.bucket, key)) {
          if (again) {
            this.counts.repeated++;
            continue;
          }
          this.counts.already++;
          tracker.listed(key);
          const moved = tracker.finished(key);
          if (moved) {
            this.#moved.set(id(folder.bucket, folder.prefix), {
              bucket: folder.bucket,
              prefix: folder.prefix,
              lastKey: moved,
            });
          }
          continue;
        }
        this.#active.add(job);
        tracker.listed(key);
        if (this.options.onPlanned) planned.push(job);
        else yield { bucket: folder.bucket, key, cursor: { prefix: folder.prefix, tracker } };
      }
    } catch (error) {
      if (this.options.signal.aborted) return;
      this.counts.failedListings++;
      this.problems.push(this.options.problem(error, folder.bucket, folder.prefix));
    }
    if (this.options.onPlanned) {
      for (const job of planned) this.#active.delete(job); // a plan keeps one folder's keys at a time
      await this.options.onPlanned(folder, planned.length);
    }
  }

  /**
   * Jobs about to be recorded (done or failed): where each listing may resume once
   * they are, and the moves of cursors past files recorded before, to commit with them.
   */
  settle(jobs: SyncJob[]): CursorMove[] {
    const cursors = [...this.#moved.values()];
    this.#moved.clear();
    for (const job of jobs) {
      const moved = job.cursor?.tracker.finished(job.key);
      if (moved) cursors.push({ bucket: job.bucket, prefix: job.cursor!.prefix, lastKey: moved });
    }
    return cursors;
  }

  /** Jobs recorded in the state: the state answers for them from now on. */
  release(jobs: SyncJob[]): void {
    for (const job of jobs) this.#active.delete(id(job.bucket, job.key));
  }
}
