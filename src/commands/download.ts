/** `download`: CloudTrail log files from S3 into the local log dir, in parallel, resumable. */
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { Interrupted, SourceError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { expandLogDir } from "../cli/log_dir.ts";
import { Progress } from "../cli/progress.ts";
import { timeOption } from "../cli/time_option.ts";
import { parseLogFileName } from "../core/log_file_name.ts";
import { pythonUtcTimestamp } from "../core/newest_event_plan.ts";
import { isLogFileKey, keyPrefixesFor, normalizePrefix } from "../core/s3_layout.ts";
import { type DownloadCounts, downloadSummary } from "../output/download_summary.ts";
import { awsErrorCode, describeAwsError, isCredentialsError } from "../sources/aws_errors.ts";
import { awsClientSettings } from "../sources/aws_options.ts";
import { forEachConcurrent } from "../sources/concurrency.ts";
import { withRetries } from "../sources/retry.ts";
import { type DeliveredFile, findNewestEvent } from "../sources/newest_event.ts";
import { createS3Client, downloadObject, listObjects, type S3Object, TEMP_MARKER } from "../sources/s3_objects.ts";

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
}

/** Clock and sleep, replaceable in tests. */
export interface DownloadClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

const realClock: DownloadClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    }),
};

/** One pass over the plan: the options with times parsed and paths resolved. */
type DownloadPass = Omit<DownloadOptions, "from" | "to"> & { keyPrefix: string; from: number; to: number };

/** Removes in-progress files a killed run left in `dir` (they are never log files). */
async function removeStaleTemps(dir: string): Promise<void> {
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.includes(`.json.gz${TEMP_MARKER}`)) await Deno.remove(join(dir, entry.name));
    }
  } catch { /* no such folder yet */ }
}

async function localSize(path: string): Promise<number | undefined> {
  return await Deno.stat(path).then((s) => (s.isFile ? s.size : undefined), () => undefined);
}

/** Downloads the planned day folders once; returns the counts and every log file of the set. */
async function downloadOnce(
  client: S3Client,
  options: DownloadPass,
  io: Io,
  signal: AbortSignal,
  clock: DownloadClock,
): Promise<{ counts: DownloadCounts; files: DeliveredFile[] }> {
  const counts: DownloadCounts = { listed: 0, downloaded: 0, skipped: 0, failed: 0, bytes: 0, lists: 0, seconds: 0 };
  const files: DeliveredFile[] = [];
  const started = clock.now();
  const progress = new Progress(io, "download");
  const prefixes = keyPrefixesFor(options, {
    prefix: options.keyPrefix,
    orgIds: options.orgId,
    accounts: options.accountId,
    regions: options.region,
  });
  let listingFailures = 0;
  let plannedBytes = 0; // sizes of the files queued for download so far
  let listed = false; // all day folders listed: plannedBytes is the total
  let cannotWrite: unknown; // the log dir refused a write: stop, every file would fail the same way

  async function* toDownload(): AsyncGenerator<S3Object & { target: string }> {
    for (const prefix of prefixes) {
      if (cannotWrite) return;
      await removeStaleTemps(join(options.logDir, prefix));
      try {
        const objects = listObjects(client, options.bucket, prefix, {
          keep: isLogFileKey,
          signal,
          onPage: () => void counts.lists++,
        });
        for await (const object of objects) {
          counts.listed++;
          const target = join(options.logDir, object.key);
          const name = parseLogFileName(object.key.slice(object.key.lastIndexOf("/") + 1));
          if (name) files.push({ path: target, delivered: name.delivered });
          if ((await localSize(target)) === object.size) {
            counts.skipped++;
            continue;
          }
          plannedBytes += object.size;
          yield { ...object, target };
        }
      } catch (error) {
        if (signal.aborted) throw new Interrupted("download stopped; no partial file was left, rerun to resume");
        const context = {
          doing: `listing s3://${options.bucket}/${prefix}`,
          permission: "s3:ListBucket",
          resource: `arn:aws:s3:::${options.bucket} (prefix ${prefix})`,
        };
        const message = describeAwsError(error, context);
        if (isCredentialsError(error) || awsErrorCode(error) === "NoSuchBucket") {
          throw new SourceError(message, { cause: error });
        }
        listingFailures++;
        await io.stderr.write(`warning: ${message}\n`);
      }
    }
    listed = true;
  }

  await forEachConcurrent(toDownload(), options.parallelism, async (object) => {
    try {
      // Await first: `counts.bytes += await ...` would read the total before the await and lose others' bytes.
      const bytes = await withRetries(
        () => downloadObject(client, options.bucket, object, object.target, signal),
        { attempts: 4, baseMs: 250, signal },
      );
      counts.bytes += bytes;
      counts.downloaded++;
      if (options.verbose) await io.stderr.write(`downloaded s3://${options.bucket}/${object.key}\n`);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
        cannotWrite ??= error;
        return;
      }
      counts.failed++;
      const message = describeAwsError(error, {
        doing: `downloading s3://${options.bucket}/${object.key}`,
        permission: "s3:GetObject",
        resource: `arn:aws:s3:::${options.bucket}/${object.key}`,
      });
      await io.stderr.write(`warning: ${message}\n`);
    }
    const seconds = (clock.now() - started) / 1000;
    const rate = counts.bytes / Math.max(seconds, 0.001);
    const eta = listed && rate > 0 ? `, ETA ${Math.ceil((plannedBytes - counts.bytes) / rate)} s` : ", listing";
    await progress.update(
      `${counts.downloaded} downloaded, ${counts.skipped} already there, ${counts.failed} failed, ` +
        `${(counts.bytes / 1e6).toFixed(1)} MB, ${(rate / 1e6).toFixed(1)} MB/s${eta}`,
    );
  });
  await progress.done();
  if (signal.aborted) throw new Interrupted("download stopped; no partial file was left, rerun to resume");
  if (cannotWrite) {
    const why = cannotWrite instanceof Error ? cannotWrite.message : String(cannotWrite);
    throw new SourceError(`cannot write to log dir "${options.logDir}": ${why}`, { cause: cannotWrite });
  }
  counts.failed += listingFailures;
  counts.seconds = (clock.now() - started) / 1000;
  return { counts, files };
}

/** Downloads the log files of the range; with --wait, again until the logs reach --to. */
export async function runDownload(options: DownloadOptions, io: Io, clock: DownloadClock = realClock): Promise<void> {
  const now = clock.now();
  const from = timeOption("--from", options.from, now);
  const to = timeOption("--to", options.to, now);
  const { prefix: keyPrefix, added } = normalizePrefix(options.prefix);
  if (added) await io.stderr.write(`note: --prefix "${options.prefix}" has no trailing slash; using "${keyPrefix}"\n`);
  const logDir = expandLogDir(options.logDir, io);
  const client = await createS3Client(awsClientSettings(options, io.env, "S3"));

  const controller = new AbortController();
  const onSigint = () => controller.abort();
  const listening = addSigintListener(onSigint);
  try {
    const run: DownloadPass = { ...options, keyPrefix, logDir, from, to };
    let { counts, files } = await downloadOnce(client, run, io, controller.signal, clock);
    await io.stderr.write(downloadSummary(counts) + "\n");
    if (options.wait) {
      const deadline = clock.now() + options.waitTimeout * 1000;
      for (;;) {
        const { newest } = findNewestEvent(files);
        if (newest !== undefined && newest > to) break;
        if (clock.now() + options.waitInterval * 1000 > deadline) {
          throw new SourceError(
            `gave up waiting after ${options.waitTimeout} s: the newest event is ` +
              `${newest === undefined ? "none" : pythonUtcTimestamp(newest)}, not after ${pythonUtcTimestamp(to)}`,
          );
        }
        await io.stderr.write(
          `CloudTrail logs haven't caught up to ${pythonUtcTimestamp(to)} yet. Most recent timestamp: ` +
            `${
              newest === undefined ? "none" : pythonUtcTimestamp(newest)
            }. Trying again in ${options.waitInterval} s.\n`,
        );
        await clock.sleep(options.waitInterval * 1000, controller.signal);
        if (controller.signal.aborted) throw new Interrupted("stopped waiting");
        ({ counts, files } = await downloadOnce(client, run, io, controller.signal, clock));
        await io.stderr.write(downloadSummary(counts) + "\n");
      }
    }
    if (counts.failed > 0) {
      throw new SourceError(`${counts.failed} of ${counts.listed} log files could not be downloaded`);
    }
  } finally {
    if (listening) Deno.removeSignalListener("SIGINT", onSigint);
    client.destroy();
  }
}

function addSigintListener(listener: () => void): boolean {
  try {
    Deno.addSignalListener("SIGINT", listener);
    return true;
  } catch {
    return false; // e.g. on platforms without signals
  }
}
