/**
 * One `sync` pass: discovery -> listing (resumed) -> bounded parallel GETs -> the
 * worker pool (gunzip, parse, partition) -> batches that are de-duplicated, appended
 * with fsync and committed with their files. Interrupts stop the feed; what is in
 * flight is committed or dropped whole.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { SourceError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { awsErrorCode, describeAwsError, isFatalListingError } from "../core/aws_errors.ts";
import { ListingCursor, resumeAfter } from "../core/listing_cursor.ts";
import { isLogFileKey, normalizePrefix } from "../core/s3_layout.ts";
import { dedupeBatch, linesPerPartition } from "../core/sync_batch.ts";
import type { SyncConfig } from "../core/sync_config.ts";
import type { SyncOut } from "../core/sync_partition.ts";
import { dryRunLine, type SyncCounts, syncProgress } from "../output/sync_summary.ts";
import { mapConcurrent } from "../sources/concurrent_map.ts";
import type { RecordInput } from "../sources/record_input.ts";
import { discoverLogFolders, type LogFolder } from "../sources/s3_discovery.ts";
import { fetchObject, listObjects } from "../sources/s3_objects.ts";
import { runStep } from "../sources/step_pool.ts";
import type { Archive } from "../state/archive.ts";
import type { SyncState } from "../state/sync_state.ts";

/** Files per commit at most, and the longest a finished file waits for its commit. */
const BATCH_FILES = 32;
const BATCH_MS = 500;

/** A file to fetch: where it is, and the listing it came from (none for a retry of a failed file). */
interface Job {
  bucket: string;
  key: string;
  cursor?: { prefix: string; tracker: ListingCursor };
}

/** What the engine needs. */
export interface SyncRun {
  config: SyncConfig;
  client: S3Client;
  state: SyncState;
  archive: Archive;
  io: Io;
  signal: AbortSignal;
  dryRun: boolean;
  verbose: boolean;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs one pass; returns what it counted and the problems that make the run fail (exit 1). */
export async function runSyncPass(run: SyncRun): Promise<{ counts: SyncCounts; problems: string[] }> {
  const { config, client, state, archive, io, signal } = run;
  const counts: SyncCounts = {
    folders: 0,
    lists: 0,
    files: 0,
    failed: 0,
    already: 0,
    events: 0,
    duplicates: 0,
    withoutId: 0,
    bytes: 0,
    seconds: 0,
  };
  const problems: string[] = [];
  const started = io.clock.now();
  const call = { signal, clock: io.clock };
  const onPage = () => void counts.lists++;
  const jobs = new Map<string, Job>();
  const failures: { job: Job; error: string }[] = [];
  let lastProgress = started;
  /** Resume positions moved by the listing (past files done before), committed with the next batch. */
  const pendingCursors = new Map<string, string>();

  const s3Problem = (error: unknown, doing: string, permission: string, resource: string) => {
    const text = describeAwsError(error, { doing, permission, resource });
    if (isFatalListingError(error)) throw new SourceError(text, { cause: error });
    return text;
  };

  async function* listed(): AsyncGenerator<Job> {
    for (const failed of state.failedFiles()) yield { bucket: failed.bucket, key: failed.key };
    for (const trail of config.trails) {
      const { prefix } = normalizePrefix(trail.prefix);
      const folders: LogFolder[] = [];
      try {
        for await (
          const f of discoverLogFolders(client, trail.bucket, prefix, {
            ...call,
            pageSize: config.listBatchSize,
            onPage,
          })
        ) {
          folders.push(f);
        }
      } catch (error) {
        if (signal.aborted) return;
        problems.push(
          s3Problem(
            error,
            `listing s3://${trail.bucket}/${prefix}AWSLogs/`,
            "s3:ListBucket",
            `arn:aws:s3:::${trail.bucket}`,
          ),
        );
        continue;
      }
      counts.folders += folders.length;
      for (const folder of folders) {
        const tracker = new ListingCursor();
        let wanted = 0;
        try {
          const objects = listObjects(client, folder.bucket, folder.prefix, {
            ...call,
            keep: isLogFileKey,
            onPage,
            startAfter: resumeAfter(folder.prefix, state.cursor(folder.bucket, folder.prefix)),
            pageSize: config.listBatchSize,
          });
          for await (const object of objects) {
            tracker.listed(object.key);
            if (state.isRecorded(folder.bucket, object.key)) {
              counts.already++;
              const moved = tracker.finished(object.key);
              if (moved) pendingCursors.set(`${folder.bucket}\n${folder.prefix}`, moved);
              continue;
            }
            wanted++;
            if (!run.dryRun) {
              yield { bucket: folder.bucket, key: object.key, cursor: { prefix: folder.prefix, tracker } };
            }
          }
        } catch (error) {
          if (signal.aborted) return;
          problems.push(
            s3Problem(
              error,
              `listing s3://${folder.bucket}/${folder.prefix}`,
              "s3:ListBucket",
              `arn:aws:s3:::${folder.bucket}`,
            ),
          );
        }
        if (run.dryRun) await io.stdout.write(dryRunLine(folder, wanted) + "\n");
      }
    }
  }

  async function fetch(job: Job): Promise<RecordInput | undefined> {
    const name = `s3://${job.bucket}/${job.key}`;
    jobs.set(name, job);
    try {
      const bytes = await fetchObject(client, job.bucket, job.key, call);
      counts.bytes += bytes.length;
      return { kind: "bytes", name, bytes };
    } catch (error) {
      if (signal.aborted) return undefined;
      const code = awsErrorCode(error);
      const text = code === "NoSuchKey"
        ? `${name}: the object is gone (NoSuchKey)`
        : s3Problem(error, `downloading ${name}`, "s3:GetObject", `arn:aws:s3:::${job.bucket}/${job.key}`);
      failures.push({ job, error: text });
      return undefined;
    }
  }

  async function* downloaded(): AsyncGenerator<RecordInput> {
    for await (const input of mapConcurrent(listed(), config.downloadWorkers, fetch)) {
      if (input) yield input;
    }
  }

  let batch: { job: Job; out: SyncOut }[] = [];
  let batchStarted = io.clock.now();

  /** Takes what is ready to commit: the finished files, the failures, and where each listing may now resume. */
  const take = () => {
    const taken = {
      batch,
      failed: failures.splice(0),
      cursors: [] as { bucket: string; prefix: string; lastKey: string }[],
    };
    for (const [k, lastKey] of pendingCursors) {
      const [bucket, prefix] = k.split("\n") as [string, string];
      taken.cursors.push({ bucket, prefix, lastKey });
    }
    pendingCursors.clear();
    for (const { job } of [...taken.batch, ...taken.failed]) {
      const moved = job.cursor?.tracker.finished(job.key);
      if (moved) taken.cursors.push({ bucket: job.bucket, prefix: job.cursor!.prefix, lastKey: moved });
    }
    batch = [];
    batchStarted = io.clock.now();
    return taken;
  };

  /** De-duplicates, appends (fsync) and records one batch in one transaction. */
  const commit = async ({ batch, failed, cursors }: ReturnType<typeof take>) => {
    if (batch.length === 0 && failed.length === 0 && cursors.length === 0) return;
    const outs = batch.map((b) => b.out);
    let files: { events: number; duplicates: number }[] = [];
    try {
      await archive.prepare(linesPerPartition(outs));
      const outputs = await state.transaction(async () => {
        const deduped = dedupeBatch(outs, (partition, keys) => state.claimKeys(partition, keys));
        files = deduped.files;
        const rows = await archive.append(deduped.appends);
        state.record({
          done: batch.map((b, i) => ({ bucket: b.job.bucket, key: b.job.key, ...files[i]! })),
          failed: failed.map((f) => ({ bucket: f.job.bucket, key: f.job.key, error: f.error })),
          outputs: rows,
          cursors,
        });
        return rows;
      });
      archive.committed(outputs);
    } catch (e) {
      archive.reset();
      throw new SourceError(`cannot write to the archive in "${archive.dir}": ${message(e)}`, { cause: e });
    }
    for (const f of failed) await io.stderr.write(`warning: ${f.error}\n`);
    counts.files += batch.length + failed.length;
    counts.failed += failed.length;
    for (const d of files) {
      counts.events += d.events;
      counts.duplicates += d.duplicates;
    }
  };

  // One batch commits (disk and SQLite) while the next one is collected (network and workers).
  let committing: Promise<void> = Promise.resolve();
  let commitFailure: unknown;
  const flush = async () => {
    const taken = take();
    await committing;
    if (commitFailure) throw commitFailure;
    committing = commit(taken).catch((e) => void (commitFailure = e));
  };

  const params = {};
  for await (
    const { input, result } of runStep(downloaded(), { step: "sync", params, workers: config.processWorkers, signal })
  ) {
    const name = input.kind === "file" ? input.path : input.name;
    const job = jobs.get(name)!;
    jobs.delete(name);
    if (result.ok) {
      batch.push({ job, out: result.out });
      counts.withoutId += result.out.withoutId;
    } else failures.push({ job, error: `${name}: ${result.issue}` });
    const now = io.clock.now();
    if (batch.length + failures.length >= BATCH_FILES || now - batchStarted >= BATCH_MS) await flush();
    if (now - lastProgress >= config.progressInterval * 1000) {
      lastProgress = now;
      await io.stderr.write(syncProgress({ ...counts, seconds: (now - started) / 1000 }) + "\n");
    }
  }
  await flush();
  await committing;
  if (commitFailure) throw commitFailure;
  counts.seconds = (io.clock.now() - started) / 1000;
  if (counts.failed > 0) problems.push(`${counts.failed} files could not be synced; they are retried on the next run`);
  return { counts, problems };
}
