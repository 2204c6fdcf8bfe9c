/** The settings of a `sync` run: the config file (paths in it relative to its folder), then the flags on top. */
import { dirname, isAbsolute, join, resolve } from "node:path";
import { InputError, UsageError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import { parseSyncConfig, SYNC_DEFAULTS, type SyncConfig } from "../core/sync/sync_config.ts";
import { mergeTrails } from "../core/sync/trail_merge.ts";
import { errorMessage } from "../core/util/error_message.ts";
import { readTextUpTo } from "../sources/bounded_file.ts";

/** The options `sync` takes its settings from (each setting of the config file has a flag; flags win). */
export interface SyncSettingsOptions {
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
  inThread: boolean;
}

/** Bytes read of a config file at most: one is a few kB. */
const MAX_CONFIG_BYTES = 16 << 20;

async function readConfig(file: string, io: Io): Promise<SyncConfig> {
  let text: string | undefined;
  try {
    text = readTextUpTo(file, MAX_CONFIG_BYTES);
  } catch (e) {
    throw new InputError(`cannot read config file "${file}": ${errorMessage(e)}`);
  }
  if (text === undefined) {
    throw new InputError(`cannot read config file "${file}": more than 16 MiB (a sync config is a few kB)`);
  }
  const parsed = parseSyncConfig(text);
  if (!parsed.ok) throw new UsageError(`config file "${file}": ${parsed.issue}`);
  for (const note of parsed.notes) await io.stderr.write(`note: ${note}\n`);
  // Paths in a config file are relative to its folder, wherever the command runs (cron runs in $HOME).
  const base = dirname(resolve(file));
  const within = (path: string) => (isAbsolute(path) ? path : join(base, path));
  return { ...parsed.config, stateDb: within(parsed.config.stateDb), eventsDir: within(parsed.config.eventsDir) };
}

/** The config file (if any) with the flags on top; a usage error when there is no trail or the file is wrong. */
export async function syncSettings(options: SyncSettingsOptions, io: Io): Promise<SyncConfig> {
  let config: SyncConfig = { ...SYNC_DEFAULTS, trails: [] };
  if (options.config !== undefined) config = await readConfig(options.config, io);
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
  const merged = mergeTrails(config.trails);
  for (const note of merged.notes) await io.stderr.write(`note: ${note}\n`);
  config.trails = merged.trails;
  if (config.processWorkers === 0) config.processWorkers = navigator.hardwareConcurrency;
  if (options.inThread) config.processWorkers = 0; // the pool runs every job in this thread
  return { ...config, stateDb: resolve(config.stateDb), eventsDir: resolve(config.eventsDir) };
}
