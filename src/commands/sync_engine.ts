/**
 * One `sync` pass, wired from small units: the lister (discovery, resumed listings,
 * each key once), bounded parallel GETs, the worker pool (gunzip, parse, partition)
 * and the committer (batches de-duplicated, appended with fsync and committed with
 * their files). Interrupts stop the feed; what is in flight is committed or dropped whole.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { SourceError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import { awsErrorCode, describeAwsError, isFatalListingError } from "../core/aws/aws_errors.ts";
import { countInto } from "../core/util/counts.ts";
import { isLogFileKey, normalizePrefix } from "../core/aws/s3_layout.ts";
import type { SyncConfig } from "../core/sync/sync_config.ts";
import { dryRunLine, type SyncCounts, syncProgress } from "../output/sync_summary.ts";
import { mapConcurrent } from "../sources/concurrent_map.ts";
import type { RecordInput } from "../sources/record_input.ts";
import { discoverLogFolders } from "../sources/s3_discovery.ts";
import { fetchObject, listObjects } from "../sources/s3_objects.ts";
import { logFileLimit } from "../sources/log_file_limit.ts";
import { fileOverLimitIssue } from "../core/util/inflate_limit.ts";
import { runStep, type StepOutcome } from "../pool/step_pool.ts";
import type { Archive } from "../state/archive.ts";
import type { SyncState } from "../state/sync_state.ts";
import { SyncCommitter } from "./sync_committer.ts";
import { type ListingSource, type SyncJob, SyncLister } from "./sync_lister.ts";

/** What the engine needs; without an archive it is a dry run (list and plan, fetch and write nothing). */
export interface SyncRun {
  config: SyncConfig;
  client: S3Client;
  state: SyncState;
  archive: Archive | undefined;
  io: Io;
  signal: AbortSignal;
  verbose: boolean;
  /** The first LIST answered (a state DB made by this run is worth keeping from then on). */
  onListed?: () => void;
}

/** An S3 error's text for the run's problems; a fatal one (credentials, no such bucket) stops the run. */
function s3Problem(error: unknown, doing: string, permission: string, resource: string): string {
  const text = describeAwsError(error, { doing, permission, resource });
  if (isFatalListingError(error)) throw new SourceError(text, { cause: error });
  return text;
}

/** Listings from S3, paginated at every level. */
function s3Listing(run: SyncRun, onPage: () => void): ListingSource {
  const { client, config, signal, io } = run;
  const call = { signal, clock: io.clock, pageSize: config.listBatchSize, onPage };
  return {
    folders: (bucket, prefix) => discoverLogFolders(client, bucket, normalizePrefix(prefix).prefix, call),
    async *keys(folder, startAfter) {
      const objects = listObjects(client, folder.bucket, folder.prefix, { ...call, keep: isLogFileKey, startAfter });
      for await (const object of objects) yield object.key;
    },
  };
}

function emptyCounts(): SyncCounts {
  return {
    folders: 0,
    lists: 0,
    files: 0,
    failed: 0,
    failedListings: 0,
    already: 0,
    repeated: 0,
    events: 0,
    duplicates: 0,
    withoutId: 0,
    skipped: {},
    bytes: 0,
    seconds: 0,
  };
}

/** The lister of a pass: a dry run (no archive) prints each planned folder on stdout. */
function syncLister(run: SyncRun, counts: SyncCounts): SyncLister {
  const { io, archive } = run;
  const onPage = () => {
    if (counts.lists++ === 0) run.onListed?.();
  };
  return new SyncLister(s3Listing(run, onPage), run.state, {
    trails: run.config.trails,
    signal: run.signal,
    problem: (error, bucket, prefix) =>
      s3Problem(error, `listing s3://${bucket}/${prefix}`, "s3:ListBucket", `arn:aws:s3:::${bucket}`),
    ...(archive ? {} : { onPlanned: (folder, files) => io.stdout.write(dryRunLine(folder, files) + "\n") }),
  });
}

/** Where fetched files are counted, failures recorded, and each input's job kept by its name. */
interface FetchSinks {
  counts: SyncCounts;
  committer: SyncCommitter;
  jobs: Map<string, SyncJob>;
}

/** The listed files, fetched `downloadWorkers` at a time; a file that cannot be fetched is failed in the committer. */
async function* downloaded(run: SyncRun, lister: SyncLister, sinks: FetchSinks): AsyncGenerator<RecordInput> {
  const { client, signal, io } = run;
  const call = { signal, clock: io.clock };
  async function fetch(job: SyncJob): Promise<RecordInput | undefined> {
    const name = `s3://${job.bucket}/${job.key}`;
    try {
      const limit = logFileLimit();
      const read = await fetchObject(client, job.bucket, job.key, { ...call, maxBytes: limit.bytes });
      if (read.over) {
        sinks.committer.fail(job, `${name}: ${fileOverLimitIssue(limit, read.head)}`);
        return undefined;
      }
      sinks.counts.bytes += read.bytes.length;
      sinks.jobs.set(name, job);
      return { kind: "bytes", name, bytes: read.bytes };
    } catch (error) {
      if (signal.aborted) return undefined;
      const text = awsErrorCode(error) === "NoSuchKey"
        ? `${name}: the object is gone (NoSuchKey)`
        : s3Problem(error, `downloading ${name}`, "s3:GetObject", `arn:aws:s3:::${job.bucket}/${job.key}`);
      sinks.committer.fail(job, text);
      return undefined;
    }
  }
  for await (const input of mapConcurrent(lister.jobs(), run.config.downloadWorkers, fetch)) {
    if (input) yield input;
  }
}

/** Hands each processed file to the committer (which commits in batches), with a progress line now and then. */
async function commitEach(
  run: SyncRun,
  steps: AsyncIterable<StepOutcome<"sync">>,
  { counts, committer, jobs, started }: FetchSinks & { started: number },
): Promise<void> {
  const { config, io } = run;
  let lastProgress = started;
  for await (const { input, result } of steps) {
    const name = input.kind === "file" ? input.path : input.name;
    const job = jobs.get(name)!;
    jobs.delete(name);
    if (result.ok) {
      committer.add(job, result.out);
      counts.withoutId += result.out.withoutId;
      for (const [reason, n] of Object.entries(result.skipped)) countInto(counts.skipped, reason, n);
    } else committer.fail(job, `${name}: ${result.issue}`);
    await committer.tick();
    const now = io.clock.now();
    if (now - lastProgress >= config.progressInterval * 1000) {
      lastProgress = now;
      Object.assign(counts, committer.counts);
      await io.stderr.write(syncProgress({ ...counts, seconds: (now - started) / 1000 }) + "\n");
    }
  }
}

/** Runs one pass; returns what it counted and the problems that make the run fail (exit 1). */
export async function runSyncPass(run: SyncRun): Promise<{ counts: SyncCounts; problems: string[] }> {
  const { config, state, archive, io, signal } = run;
  const counts = emptyCounts();
  const started = io.clock.now();
  const lister = syncLister(run, counts);
  const tally = () => {
    Object.assign(counts, { folders: lister.counts.folders, already: lister.counts.already });
    counts.repeated = lister.counts.repeated;
    counts.failedListings = lister.counts.failedListings;
  };
  if (!archive) {
    for await (const _ of lister.jobs()) { /* a plan yields no job */ }
    tally();
    counts.seconds = (io.clock.now() - started) / 1000;
    return { counts, problems: lister.problems };
  }

  const committer = new SyncCommitter({
    state,
    archive,
    lister,
    clock: io.clock,
    warn: (text) => io.stderr.write(`warning: ${text}\n`),
  });
  const jobs = new Map<string, SyncJob>();
  const steps = runStep(downloaded(run, lister, { counts, committer, jobs }), {
    step: "sync",
    params: {},
    workers: config.processWorkers,
    signal,
  });
  try {
    await commitEach(run, steps, { counts, committer, jobs, started });
    await committer.finish();
  } catch (e) {
    // A run that stops on an error must not end (and let go of its locks) while a batch is still being appended.
    await committer.settled();
    throw e;
  }
  Object.assign(counts, committer.counts);
  tally();
  counts.seconds = (io.clock.now() - started) / 1000;
  const problems = lister.problems;
  if (counts.failed > 0) problems.push(`${counts.failed} files could not be synced; they are retried on the next run`);
  return { counts, problems };
}
