/** `validate`: CloudTrail's digest chain and signatures, over S3 or over a local copy, every file's state reported. */
import { BrokenPipe, InputError, Interrupted, SourceError, UsageError } from "../runtime/errors.ts";
import { withInterrupt } from "../runtime/interrupt.ts";
import type { Io } from "../runtime/io.ts";
import { expandLogDir, logDirProblem } from "../runtime/log_dir_option.ts";
import { Progress } from "../runtime/progress.ts";
import { timeRange } from "../runtime/time_option.ts";
import { describeAwsError } from "../core/aws/aws_errors.ts";
import { type DigestUnit, digestWindow, unitRoot } from "../core/digest/digest_key.ts";
import { emptyCounts, type FileResult, notValid } from "../core/digest/digest_state.ts";
import { normalizePrefix } from "../core/aws/s3_layout.ts";
import {
  awaitingLine,
  JSON_HEAD,
  jsonEntry,
  jsonTail,
  resultLine,
  tally,
  validateSummary,
  type ValidateTotals,
} from "../output/validate_report.ts";
import { awsClientSettings, FALLBACK_REGION, s3ClientSettings } from "../sources/aws_options.ts";
import type { DigestStore } from "../sources/digest_store.ts";
import { localDigestStore } from "../sources/digest_store_local.ts";
import { s3DigestStore } from "../sources/digest_store_s3.ts";
import { localUnits } from "../sources/digest_units_local.ts";
import { keysFromApi, keysFromFiles, PublicKeyRing } from "../sources/public_key_ring.ts";
import { defaultHashWorkers, HashPool } from "../sources/hash_pool.ts";
import { Semaphore } from "../sources/semaphore.ts";
import { createS3Client } from "../sources/s3_objects.ts";
import { finishUnit, prepareUnit, type ValidateUnitOptions } from "./validate_unit.ts";
import { errorMessage } from "../core/util/error_message.ts";

/** Options of `validate`. */
export interface ValidateOptions {
  bucket?: string | undefined;
  prefix: string;
  orgId: string[];
  accountId: string[];
  region: string[];
  logDir: string;
  from: string;
  to: string;
  publicKeys: string[];
  format: "text" | "json";
  parallelism: number;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  verbose: boolean;
}

const STOPPED = "validation stopped; nothing was written";

/** The units of the command line (S3: every org x account x region) or found below the log dir, filtered by it. */
async function unitsOf(options: ValidateOptions, prefix: string, logDir: string): Promise<DigestUnit[]> {
  const orgs = options.orgId.length > 0 ? options.orgId : [undefined];
  if (options.bucket) {
    if (options.accountId.length === 0 || options.region.length === 0) {
      throw new UsageError("validate --bucket needs --account-id and --region (as download does)");
    }
    return orgs.flatMap((orgId) =>
      options.accountId.flatMap((account) => options.region.map((region) => ({ prefix, orgId, account, region })))
    );
  }
  const problem = await logDirProblem(logDir);
  if (problem) throw new InputError(`Cannot validate log dir "${logDir}": it ${problem}`);
  const keep = (list: string[], value: string | undefined) => list.length === 0 || list.includes(value ?? "");
  return (await localUnits(logDir, prefix)).filter((u) =>
    keep(options.accountId, u.account) && keep(options.region, u.region) && keep(options.orgId, u.orgId)
  );
}

async function keySource(options: ValidateOptions, io: Io, range: { from: number; to: number }, signal: AbortSignal) {
  if (options.publicKeys.length === 0) {
    const settings = await awsClientSettings({ profile: options.profile }, io.env, "CLOUDTRAIL", FALLBACK_REGION);
    return keysFromApi({ settings, range: digestWindow(range), signal, clock: io.clock });
  }
  try {
    return await keysFromFiles(options.publicKeys);
  } catch (e) {
    throw new InputError(errorMessage(e), { cause: e });
  }
}

/** Writes each result as it comes (JSON entries, or a line per file that is not valid) and counts it. */
function resultWriter(options: ValidateOptions, io: Io, store: DigestStore, totals: ValidateTotals) {
  let first = true;
  const progress = new Progress(io, "validate", () => io.clock.now());
  return {
    async emit(result: FileResult) {
      tally(totals, result);
      const where = store.where(result.key);
      if (options.format === "json") await io.stdout.write(jsonEntry(result, where, first));
      else if (result.state !== "valid") await io.stdout.write(resultLine(result, where));
      first = false;
      const c = totals.counts;
      await progress.update(`${c.digest.valid} digests and ${c.log.valid} log files valid, ${notValid(c)} not`);
    },
    progress,
  };
}

/** Why validating `unit` failed, as the error that ends the run. */
function unitFailed(
  error: unknown,
  unit: DigestUnit,
  store: DigestStore,
  options: ValidateOptions,
  signal: AbortSignal,
): never {
  if (error instanceof BrokenPipe) throw error; // the reader of stdout went away: a normal end
  if (signal.aborted) throw new Interrupted(STOPPED);
  throw new SourceError(
    describeAwsError(error, {
      doing: `validating ${store.where(unitRoot(unit))} (${unit.region})`,
      permission: options.bucket ? "s3:ListBucket, s3:GetObject" : "cloudtrail:ListPublicKeys",
      resource: options.bucket ? `arn:aws:s3:::${options.bucket}` : "*",
    }),
    { cause: error },
  );
}

/** Validates the units in order, preparing the next one while this one is hashed. */
async function validateUnits(
  units: DigestUnit[],
  store: DigestStore,
  unitOptions: ValidateUnitOptions,
  { failed, signal }: { failed: (unit: DigestUnit) => (error: unknown) => never; signal: AbortSignal },
): Promise<void> {
  // The next unit's digests are read while this one's log files are hashed (one unit ahead, so memory stays flat).
  const prepare = (unit: DigestUnit) => prepareUnit(store, unit, unitOptions).catch(failed(unit));
  let next = units[0] ? prepare(units[0]) : undefined;
  next?.catch(() => {}); // awaited below; must not count as unhandled meanwhile
  for (const [i, unit] of units.entries()) {
    const prepared = await next!;
    next = units[i + 1] ? prepare(units[i + 1]!) : undefined;
    next?.catch(() => {});
    await finishUnit(store, prepared, unitOptions).catch(failed(unit));
    if (signal.aborted) throw new Interrupted(STOPPED);
  }
}

/** Validates the range; exit 1 (SourceError) when any file is not valid or could not be read. */
export async function runValidate(options: ValidateOptions, io: Io): Promise<void> {
  const now = io.clock.now();
  const range = timeRange(options, now);
  const { prefix } = normalizePrefix(options.prefix);
  // The log dir matters only without --bucket: its "~" is not expanded (nor HOME asked for) over S3.
  const logDir = options.bucket ? options.logDir : expandLogDir(options.logDir, io);
  const units = await unitsOf(options, prefix, logDir);
  const client = options.bucket
    ? await createS3Client(await s3ClientSettings(options, io.env, (text) => io.stderr.write(text)))
    : undefined;
  const totals: ValidateTotals = { counts: emptyCounts(), unreadable: 0, units: units.length, seconds: 0 };
  // The hashing (most of the CPU) runs beside the main thread, which keeps serving the reads.
  const pool = await HashPool.start(defaultHashWorkers());
  if (options.verbose) await io.stderr.write(`validate: hashing on ${pool.size} Web Workers\n`);

  try {
    await withInterrupt(io, async (signal) => {
      const keys = new PublicKeyRing(await keySource(options, io, range, signal));
      const store = client && options.bucket
        ? s3DigestStore(client, options.bucket, { signal, clock: io.clock })
        : localDigestStore(logDir);
      const writer = resultWriter(options, io, store, totals);
      if (options.format === "json") await io.stdout.write(JSON_HEAD);
      const unitOptions: ValidateUnitOptions = {
        range,
        now,
        keys,
        parallelism: options.parallelism,
        reads: new Semaphore(options.parallelism),
        hash: (gzip) => pool.hash(gzip),
        emit: writer.emit,
        onReadError: async (key, error) => {
          if (signal.aborted) return;
          totals.unreadable++;
          await io.stderr.write(`warning: cannot read "${store.where(key)}": ${errorMessage(error)}\n`);
        },
      };
      const failed = (unit: DigestUnit) => (error: unknown) => unitFailed(error, unit, store, options, signal);
      await validateUnits(units, store, unitOptions, { failed, signal });
      await writer.progress.done();
      totals.seconds = (io.clock.now() - now) / 1000;
      if (options.format === "json") await io.stdout.write(jsonTail(totals));
      await io.stderr.write(validateSummary(totals) + "\n");
      const awaiting = awaitingLine(totals);
      if (awaiting) await io.stderr.write(awaiting + "\n");
      const seen = Object.values(totals.counts.digest).concat(Object.values(totals.counts.log)).some((n) => n > 0);
      if (!seen) await io.stderr.write("warning: no digests or log files in the range: nothing was proven\n");
    });
  } finally {
    pool.close();
    client?.destroy();
  }
  const bad = notValid(totals.counts) + totals.unreadable;
  if (bad > 0) throw new SourceError(`${bad} files are not valid or could not be read (see above)`);
}
