/** `sync`: CloudTrail logs from S3 into a de-duplicated, Hive-partitioned JSON Lines archive that resumes. */
import { resolve } from "node:path";
import { InputError, Interrupted, SourceError, UsageError } from "../cli/errors.ts";
import { withInterrupt } from "../cli/interrupt.ts";
import type { Io } from "../cli/io.ts";
import { parseSyncConfig, SYNC_DEFAULTS, type SyncConfig } from "../core/sync_config.ts";
import { syncSummary } from "../output/sync_summary.ts";
import { awsClientSettings } from "../sources/aws_options.ts";
import { createS3Client } from "../sources/s3_objects.ts";
import { Archive } from "../state/archive.ts";
import { StateMismatch, SyncState } from "../state/sync_state.ts";
import { runSyncPass } from "./sync_engine.ts";

/** Options of `sync` (each setting of the config file has a flag; flags win). */
export interface SyncOptions {
  config?: string | undefined;
  bucket?: string | undefined;
  prefix?: string | undefined;
  trailName?: string | undefined;
  eventsDir?: string | undefined;
  stateDb?: string | undefined;
  downloadWorkers?: number | undefined;
  processWorkers?: number | undefined;
  listBatchSize?: number | undefined;
  eventsPerFile?: number | undefined;
  progressInterval?: number | undefined;
  compress?: "none" | "gzip" | undefined;
  dryRun: boolean;
  /** After the pass, validate the archived files' digests and record their states (sync_validate.ts). */
  validate?: boolean;
  /** Parse in the main thread (no Web Workers). */
  inThread: boolean;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  verbose: boolean;
}

/** The config file (if any) with the flags on top; a usage error when there is no trail or the file is wrong. */
async function settings(options: SyncOptions, io: Io): Promise<SyncConfig> {
  let config: SyncConfig = { ...SYNC_DEFAULTS, trails: [] };
  if (options.config !== undefined) {
    let text: string;
    try {
      text = await Deno.readTextFile(options.config);
    } catch (e) {
      throw new InputError(`cannot read config file "${options.config}": ${e instanceof Error ? e.message : e}`);
    }
    const parsed = parseSyncConfig(text);
    if (!parsed.ok) throw new UsageError(`config file "${options.config}": ${parsed.issue}`);
    for (const note of parsed.notes) await io.stderr.write(`note: ${note}\n`);
    config = parsed.config;
  }
  const flags: Partial<SyncConfig> = {
    ...(options.eventsDir !== undefined ? { eventsDir: options.eventsDir } : {}),
    ...(options.stateDb !== undefined ? { stateDb: options.stateDb } : {}),
    ...(options.downloadWorkers !== undefined ? { downloadWorkers: options.downloadWorkers } : {}),
    ...(options.processWorkers !== undefined ? { processWorkers: options.processWorkers } : {}),
    ...(options.listBatchSize !== undefined ? { listBatchSize: options.listBatchSize } : {}),
    ...(options.eventsPerFile !== undefined ? { eventsPerFile: options.eventsPerFile } : {}),
    ...(options.progressInterval !== undefined ? { progressInterval: options.progressInterval } : {}),
    ...(options.compress !== undefined ? { compress: options.compress } : {}),
  };
  config = { ...config, ...flags };
  if (options.bucket !== undefined) {
    config.trails = [{
      name: options.trailName ?? options.bucket,
      bucket: options.bucket,
      prefix: options.prefix ?? "",
    }];
  } else if (options.prefix !== undefined) throw new UsageError("--prefix goes with --bucket");
  if (config.trails.length === 0) throw new UsageError("nothing to sync: give --bucket, or --config with trails");
  if (config.processWorkers === 0) config.processWorkers = navigator.hardwareConcurrency;
  if (options.inThread) config.processWorkers = 0; // the pool runs every job in this thread
  return config;
}

/** Syncs every trail of the config into the archive; exit 1 when files failed (they are retried on the next run). */
export async function runSync(options: SyncOptions, io: Io): Promise<void> {
  const config = await settings(options, io);
  let state: SyncState;
  try {
    state = SyncState.open(config.stateDb, {
      eventsDir: resolve(config.eventsDir),
      trails: config.trails.map((t) => `s3://${t.bucket}/${t.prefix}`),
    });
  } catch (e) {
    if (e instanceof StateMismatch) {
      throw new UsageError(`state DB "${config.stateDb}" is not for this config: ${e.message}; use another --state-db`);
    }
    throw new SourceError(`cannot open state DB "${config.stateDb}": ${e instanceof Error ? e.message : e}`, {
      cause: e,
    });
  }
  const client = await createS3Client(awsClientSettings(options, io.env, "S3"));
  try {
    const archive = new Archive(config.eventsDir, {
      eventsPerFile: config.eventsPerFile,
      gzip: config.compress === "gzip",
    }, state);
    const recovery = await archive.recover();
    if (recovery.truncated.length) {
      await io.stderr.write(`sync: cut ${recovery.truncated.length} archive files back to their last commit\n`);
    }
    for (const path of recovery.damaged) {
      await io.stderr.write(`warning: "${path}" is shorter than the state DB says: something else changed it\n`);
    }
    const { counts, problems } = await withInterrupt(io, async (signal) => {
      const pass = await runSyncPass({
        config,
        client,
        state,
        archive,
        io,
        signal,
        dryRun: options.dryRun,
        verbose: options.verbose,
      });
      if (signal.aborted) {
        await io.stderr.write(syncSummary(pass.counts) + "\n");
        throw new Interrupted("sync stopped; everything written is committed, rerun to resume");
      }
      return pass;
    });
    await io.stderr.write(syncSummary(counts) + "\n");
    for (const problem of problems.slice(0, -1)) await io.stderr.write(`warning: ${problem}\n`);
    if (options.validate && !options.dryRun) {
      const { validateArchive } = await import("./sync_validate.ts");
      await withInterrupt(io, (signal) => validateArchive(config, client, { io, signal, profile: options.profile }));
    }
    if (problems.length > 0) throw new SourceError(problems.at(-1)!);
  } finally {
    client.destroy();
    state.close();
  }
}
