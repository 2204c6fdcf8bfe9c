/** `download`: CloudTrail log files from S3 into the local log dir, in parallel, resumable. */
import type { S3Client } from "@aws-sdk/client-s3";
import { Interrupted, SourceError, UsageError } from "../runtime/errors.ts";
import { withInterrupt } from "../runtime/interrupt.ts";
import type { Io } from "../runtime/io.ts";
import { expandLogDir } from "../runtime/log_dir_option.ts";
import { Progress } from "../runtime/progress.ts";
import { timeRange } from "../runtime/time_option.ts";
import { emptyDownloadHint } from "./download_hint.ts";
import { describeAwsError, isFatalListingError } from "../core/aws/aws_errors.ts";
import { etaSeconds, needsDownload, waitDecision } from "../core/aws/download_plan.ts";
import { escapeControl } from "../output/escape_control.ts";
import { parseLogFileName } from "../core/aws/log_file_name.ts";
import { isLogFileKey, keyPrefixesFor, normalizePrefix } from "../core/aws/s3_layout.ts";
import {
  type DownloadCounts,
  downloadFailure,
  downloadProgress,
  downloadSummary,
  gaveUpWaiting,
  stillWaiting,
} from "../output/download_summary.ts";
import { s3ClientSettings } from "../sources/aws_options.ts";
import { forEachConcurrent } from "../sources/concurrency.ts";
import { localPathFor } from "../sources/local_path.ts";
import { localSize, removeStaleTemps } from "../sources/log_dir_state.ts";
import { type DeliveredFile, findNewestEvent } from "../sources/newest_event.ts";
import { createS3Client, downloadObject, listObjects, type S3Object, TEMP_MARKER } from "../sources/s3_objects.ts";
import { errorMessage } from "../core/util/error_message.ts";

/** Options of `download`. */
export interface DownloadOptions {
  bucket: string;
  prefix: string;
  orgId: string[];
  accountId: string[];
  region: string[];
  logDir: string;
  from: string;
  to: string;
  wait: boolean;
  waitInterval: number;
  waitTimeout: number;
  parallelism: number;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  verbose: boolean;
  /** Also copy the digests of the range and their signature metadata (download_digests.ts). */
  withDigests?: boolean;
}

/** One pass over the plan: the options with times parsed and paths resolved. */
type DownloadPass = Omit<DownloadOptions, "from" | "to"> & { keyPrefix: string; from: number; to: number };

const STOPPED = "download stopped; no partial file was left, rerun to resume";

/** Downloads the planned day folders once; returns the counts and every log file of the set. */
function downloadOnce(
  client: S3Client,
  options: DownloadPass,
  io: Io,
  signal: AbortSignal,
): Promise<{ counts: DownloadCounts; files: DeliveredFile[] }> {
  return new DownloadOnce(client, options, io, signal).run();
}

/** One pass of `download`: it owns the counts, the files of the set and what the transfer has done. */
class DownloadOnce {
  readonly #counts: DownloadCounts = {
    listed: 0,
    repeated: 0,
    downloaded: 0,
    skipped: 0,
    failed: 0,
    bytes: 0,
    lists: 0,
    seconds: 0,
  };
  readonly #files: DeliveredFile[] = [];
  readonly #started: number;
  readonly #progress: Progress;
  readonly #prefixes: string[];
  readonly #transfer = { listed: false, plannedBytes: 0, bytes: 0, seconds: 0 };
  #listingFailures = 0;
  #cannotWrite: unknown; // the log dir refused a write: stop, every file would fail the same way

  constructor(
    private readonly client: S3Client,
    private readonly options: DownloadPass,
    private readonly io: Io,
    private readonly signal: AbortSignal,
  ) {
    this.#started = io.clock.now();
    this.#progress = new Progress(io, "download", () => io.clock.now());
    this.#prefixes = keyPrefixesFor(options, {
      prefix: options.keyPrefix,
      orgIds: options.orgId,
      accounts: options.accountId,
      regions: options.region,
    });
  }

  async run(): Promise<{ counts: DownloadCounts; files: DeliveredFile[] }> {
    const { options, signal, io } = this;
    await forEachConcurrent(this.#toDownload(), options.parallelism, (object) => this.#download(object));
    await this.#progress.done();
    if (signal.aborted) throw new Interrupted(STOPPED);
    if (this.#cannotWrite) {
      throw new SourceError(`cannot write to log dir "${options.logDir}": ${errorMessage(this.#cannotWrite)}`, {
        cause: this.#cannotWrite,
      });
    }
    this.#counts.folders = this.#prefixes.length;
    this.#counts.unlisted = this.#listingFailures;
    this.#counts.seconds = (io.clock.now() - this.#started) / 1000;
    return { counts: this.#counts, files: this.#files };
  }

  #warn(message: string): Promise<void> {
    return this.io.stderr.write(`warning: ${escapeControl(message)}\n`);
  }

  /** The objects to fetch, folder by folder; a listing that fails is counted (or fatal). */
  async *#toDownload(): AsyncGenerator<S3Object & { target: string }> {
    const { options, signal } = this;
    for (const prefix of this.#prefixes) {
      if (this.#cannotWrite) return;
      const folder = folderFor(options.logDir, prefix);
      await removeStaleTemps(folder, TEMP_MARKER).catch((e) =>
        this.#warn(`cannot clean up "${folder}": ${errorMessage(e)}`)
      );
      try {
        yield* this.#listFolder(prefix);
      } catch (error) {
        if (signal.aborted) throw new Interrupted(STOPPED);
        const text = describeAwsError(error, {
          doing: `listing s3://${options.bucket}/${prefix}`,
          permission: "s3:ListBucket",
          resource: `arn:aws:s3:::${options.bucket} (prefix ${prefix})`,
        });
        if (isFatalListingError(error)) throw new SourceError(text, { cause: error });
        this.#listingFailures++;
        await this.#warn(text);
      }
    }
    this.#transfer.listed = true;
  }

  /** The objects of one folder that are missing locally or differ in size. */
  async *#listFolder(prefix: string): AsyncGenerator<S3Object & { target: string }> {
    const { options, signal, io } = this;
    const counts = this.#counts;
    const objects = listObjects(this.client, options.bucket, prefix, {
      keep: isLogFileKey,
      signal,
      clock: io.clock,
      onPage: () => void counts.lists++,
    });
    // A store may name a key twice (a paging bug): fetched once, counted. One day folder's keys are few (~300 for a
    // busy account and region), so a set of them is cheap where a set of the whole run's keys would not be.
    const seen = new Set<string>();
    for await (const object of objects) {
      if (seen.has(object.key)) {
        counts.repeated++;
        continue;
      }
      seen.add(object.key);
      counts.listed++;
      const target = await this.#plannedTarget(object);
      if (target === undefined) continue;
      this.#transfer.plannedBytes += object.size;
      yield { ...object, target };
    }
  }

  /** Where a listed object goes, or undefined when it is skipped (counted) or already there. */
  async #plannedTarget(object: S3Object): Promise<string | undefined> {
    const counts = this.#counts;
    const local = localPathFor(this.options.logDir, object.key);
    if (!local.ok) {
      counts.failed++;
      await this.#warn(`skipped s3://${this.options.bucket}/${object.key}: the key ${local.issue}`);
      return undefined;
    }
    const target = local.path;
    const name = parseLogFileName(object.key.slice(object.key.lastIndexOf("/") + 1));
    if (name) this.#files.push({ path: target, delivered: name.delivered });
    let size: number | undefined;
    try {
      size = await localSize(target);
    } catch (e) {
      counts.failed++;
      await this.#warn(`cannot check "${target}": ${errorMessage(e)}`);
      return undefined;
    }
    if (!needsDownload(object.size, size)) {
      counts.skipped++;
      return undefined;
    }
    return target;
  }

  /** Fetches one object to its target, counts it and updates the progress line. */
  async #download(object: S3Object & { target: string }): Promise<void> {
    const { options, signal, io } = this;
    const counts = this.#counts;
    try {
      // Await first: `counts.bytes += await ...` would read the total before the await and lose others' bytes.
      const bytes = await downloadObject(this.client, options.bucket, object, {
        signal,
        clock: io.clock,
        onCleanupError: (path, e) => this.#warn(`cannot remove temporary file "${path}": ${errorMessage(e)}`),
      });
      counts.bytes += bytes;
      counts.downloaded++;
      if (options.verbose) await io.stderr.write(`downloaded s3://${options.bucket}/${escapeControl(object.key)}\n`);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
        this.#cannotWrite ??= error;
        return;
      }
      counts.failed++;
      await this.#warn(describeAwsError(error, {
        doing: `downloading s3://${options.bucket}/${object.key}`,
        permission: "s3:GetObject",
        resource: `arn:aws:s3:::${options.bucket}/${object.key}`,
      }));
    }
    const transfer = this.#transfer;
    transfer.bytes = counts.bytes;
    transfer.seconds = (io.clock.now() - this.#started) / 1000;
    await this.#progress.update(downloadProgress(counts, transfer.seconds, etaSeconds(transfer), transfer.listed));
  }
}

/** The local folder of a planned key prefix; a prefix (from --prefix, --org-id, ...) that would leave the log dir is a usage error. */
function folderFor(logDir: string, prefix: string): string {
  const folder = localPathFor(logDir, prefix, { folder: true });
  if (folder.ok) return folder.path;
  throw new UsageError(`key prefix "${escapeControl(prefix)}" cannot be a folder below --log-dir: it ${folder.issue}`);
}

/** Downloads the log files of the range; with --wait, again until the logs reach --to. */
export async function runDownload(options: DownloadOptions, io: Io): Promise<void> {
  const now = io.clock.now();
  const { from, to } = timeRange(options, now);
  const { prefix: keyPrefix, added } = normalizePrefix(options.prefix);
  if (added) {
    const [given, used] = [escapeControl(options.prefix), escapeControl(keyPrefix)];
    await io.stderr.write(`note: --prefix "${given}" has no trailing slash; using "${used}"\n`);
  }
  const logDir = expandLogDir(options.logDir, io);
  const client = await createS3Client(await s3ClientSettings(options, io.env, (text) => io.stderr.write(text)));
  try {
    await withInterrupt(io, async (signal) => {
      const pass: DownloadPass = { ...options, keyPrefix, logDir, from, to };
      let { counts, files } = await downloadOnce(client, pass, io, signal);
      await io.stderr.write(downloadSummary(counts) + "\n");
      if (counts.listed === 0 && counts.failed === 0) {
        const hint = await emptyDownloadHint(client, pass, { signal, clock: io.clock });
        if (hint) await io.stderr.write(`note: no log files found; ${hint}\n`);
      }
      const deadline = io.clock.now() + options.waitTimeout * 1000;
      const intervalMs = options.waitInterval * 1000;
      while (options.wait) {
        const { newest } = findNewestEvent(files);
        const decision = waitDecision({ newest, to, now: io.clock.now(), deadline, intervalMs });
        if (decision === "caught-up") break;
        if (decision === "give-up") throw new SourceError(gaveUpWaiting(options.waitTimeout, newest, to));
        await io.stderr.write(stillWaiting(newest, to, options.waitInterval) + "\n");
        await io.clock.sleep(intervalMs, signal);
        if (signal.aborted) throw new Interrupted("stopped waiting");
        ({ counts, files } = await downloadOnce(client, pass, io, signal));
        await io.stderr.write(downloadSummary(counts) + "\n");
      }
      const failure = downloadFailure(counts);
      if (failure) throw new SourceError(failure);
      if (options.withDigests) {
        const { copyDigests } = await import("./download_digests.ts");
        const failed = await copyDigests(client, pass, io, signal).catch((error) => {
          if (signal.aborted) throw new Interrupted(STOPPED);
          throw new SourceError(`cannot download the digests: ${errorMessage(error)}`, { cause: error });
        });
        if (signal.aborted) throw new Interrupted(STOPPED);
        if (failed > 0) throw new SourceError(`${failed} digests could not be downloaded`);
      }
    });
  } finally {
    client.destroy();
  }
}
