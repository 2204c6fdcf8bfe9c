/**
 * `sync --validate`: after the sync pass, the digests of every account and region
 * with archived log files not yet found valid are checked over S3 (validate's
 * algorithm), over the range of those files' deliveries only, and
 * each archived log file's and digest's state is recorded in the state DB's
 * `file_states` table. Exit 1 when any is not valid.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { Interrupted, SourceError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import { describeAwsError } from "../core/aws/aws_errors.ts";
import { type DigestUnit, digestWindow, unitRoot } from "../core/digest/digest_key.ts";
import { emptyCounts, type FileResult, notValid } from "../core/digest/digest_state.ts";
import type { SyncConfig } from "../core/sync/sync_config.ts";
import { awaitingLine, tally, validateSummary, type ValidateTotals } from "../output/validate_report.ts";
import { awsClientSettings, FALLBACK_REGION } from "../sources/aws_options.ts";
import { s3DigestStore } from "../sources/digest_store_s3.ts";
import { defaultHashWorkers, HashPool } from "../sources/hash_pool.ts";
import { keysFromApi, PublicKeyRing } from "../sources/public_key_ring.ts";
import { Semaphore } from "../sources/semaphore.ts";
import { ValidationState } from "../state/validation_state.ts";
import { validateUnit } from "./validate_unit.ts";

/** Results are written to the state DB in transactions of this many. */
const BATCH = 1000;

/** What the validation of every archived unit shares. */
interface ArchiveRun {
  config: SyncConfig;
  client: S3Client;
  states: ValidationState;
  pool: HashPool;
  keys: PublicKeyRing;
  reads: Semaphore;
  totals: ValidateTotals;
  checkedAt: string;
  /** The run's time: archived log files delivered shortly before it may still await their digest. */
  now: number;
  io: Io;
  signal: AbortSignal;
}

/** Validates one archived unit over the range of its files' deliveries; its states are recorded in batches. */
async function validateArchivedUnit(
  run: ArchiveRun,
  { trail, unit, from, to }: { trail: SyncConfig["trails"][number]; unit: DigestUnit; from: number; to: number },
): Promise<void> {
  const { config, states, totals, io, signal } = run;
  const store = s3DigestStore(run.client, trail.bucket, { signal, clock: io.clock });
  let batch: FileResult[] = [];
  const flush = () => {
    states.record(trail.bucket, batch, run.checkedAt);
    batch = [];
  };
  totals.units++;
  try {
    await validateUnit(store, unit, {
      range: { from, to },
      now: run.now,
      keys: run.keys,
      parallelism: config.downloadWorkers,
      reads: run.reads,
      hash: (gzip) => run.pool.hash(gzip),
      emit: (result) => {
        tally(totals, result);
        batch.push(result);
        if (batch.length >= BATCH) flush();
        return Promise.resolve();
      },
      onReadError: async (key, error) => {
        totals.unreadable++;
        await io.stderr.write(`warning: cannot read "s3://${trail.bucket}/${key}": ${String(error)}\n`);
      },
    });
  } catch (error) {
    if (signal.aborted) throw new Interrupted("validation stopped; the states recorded so far are kept");
    throw new SourceError(
      describeAwsError(error, {
        doing: `validating s3://${trail.bucket}/${unitRoot(unit)} (${unit.region})`,
        permission: "s3:ListBucket, s3:GetObject, cloudtrail:ListPublicKeys",
        resource: `arn:aws:s3:::${trail.bucket}`,
      }),
      { cause: error },
    );
  } finally {
    flush();
  }
}

/** Validates what the archive holds and records every file's state; throws a SourceError when any is not valid. */
export async function validateArchive(
  config: SyncConfig,
  client: S3Client,
  options: { io: Io; signal: AbortSignal; profile?: string | undefined },
): Promise<void> {
  const { io, signal } = options;
  const started = io.clock.now();
  const states = ValidationState.open(config.stateDb);
  const pool = await HashPool.start(defaultHashWorkers());
  const totals: ValidateTotals = { counts: emptyCounts(), unreadable: 0, units: 0, seconds: 0 };
  const checkedAt = new Date(started).toISOString();
  try {
    const plans = config.trails.flatMap((trail) =>
      states.archivedUnits(trail.bucket, trail.prefix).map((archived) => ({ trail, ...archived }))
    );
    const overall = {
      from: Math.min(...plans.map((p) => p.from)),
      to: digestWindow({ from: 0, to: Math.max(...plans.map((p) => p.to)) }).to,
    };
    const settings = await awsClientSettings({ profile: options.profile }, io.env, "CLOUDTRAIL", FALLBACK_REGION);
    // One key ring for the run: ListPublicKeys once per region, for the whole archived range.
    const keys = new PublicKeyRing(keysFromApi({ settings, range: overall, signal, clock: io.clock }));
    const reads = new Semaphore(config.downloadWorkers);
    const run = { config, client, states, pool, keys, reads, totals, checkedAt, now: started, io, signal };
    for (const plan of plans) await validateArchivedUnit(run, plan);
  } finally {
    pool.close();
    states.close();
  }
  totals.seconds = (io.clock.now() - started) / 1000;
  await io.stderr.write(`sync --${validateSummary(totals)} (states in ${config.stateDb}, table file_states)\n`);
  const awaiting = awaitingLine(totals, "sync --validate");
  if (awaiting) await io.stderr.write(awaiting + "\n");
  const bad = notValid(totals.counts) + totals.unreadable;
  if (bad > 0) throw new SourceError(`${bad} archived files are not valid or could not be read`);
}
