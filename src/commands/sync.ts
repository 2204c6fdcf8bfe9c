/** `sync`: CloudTrail logs from S3 into a de-duplicated, Hive-partitioned JSON Lines archive that resumes. */
import { dirname } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { InputError, Interrupted, SourceError, UsageError } from "../runtime/errors.ts";
import { withInterrupt } from "../runtime/interrupt.ts";
import type { Io } from "../runtime/io.ts";
import type { SyncConfig } from "../core/sync/sync_config.ts";
import { syncSummary } from "../output/sync_summary.ts";
import { s3ClientSettings } from "../sources/aws_options.ts";
import { createS3Client } from "../sources/s3_objects.ts";
import { Archive, DamagedArchiveFile, UnknownArchiveData } from "../state/archive.ts";
import { ArchivePartTooLarge, firstPartFile } from "../state/archive_scan.ts";
import { SyncLock, SyncLockBusy } from "../state/sync_lock.ts";
import { StateMismatch, StateVersionError, SyncState } from "../state/sync_state.ts";
import { rebuildPathOf, type RebuildReport, rebuildState } from "../state/state_rebuild.ts";
import { runSyncPass } from "./sync_engine.ts";
import { syncSettings, type SyncSettingsOptions } from "./sync_settings.ts";
import { errorMessage } from "../core/util/error_message.ts";
import { MAX_INFLATED_VARIABLE } from "../sources/max_inflated_variable.ts";
import { logFileLimit } from "../sources/log_file_limit.ts";

/** Options of `sync` (each setting of the config file has a flag; flags win). */
export interface SyncOptions extends SyncSettingsOptions {
  dryRun: boolean;
  /** Rebuild the state DB from the archive's part files before syncing. */
  rebuildState?: boolean | undefined;
  /** After the pass, validate the archived files' digests and record their states (sync_validate.ts). */
  validate?: boolean;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  verbose: boolean;
}

/** Who the state belongs to: the archive's folder and the trails' places. */
interface Identity {
  eventsDir: string;
  trails: string[];
}

/** The way out when the archive holds what the state does not know. */
function rebuildHint(config: SyncConfig, what: string): UsageError {
  return new UsageError(
    `the archive in "${config.eventsDir}" ${what} that state DB "${config.stateDb}" does not know ` +
      `(was the state deleted or replaced?); nothing was written. Rebuild the state from the archive with ` +
      `\`trailscraper sync --rebuild-state\` and the same options, or sync into another --events-dir`,
  );
}

function damagedHint(config: SyncConfig, e: DamagedArchiveFile): UsageError {
  return new UsageError(
    `archive file "${e.path}" is shorter than state DB "${config.stateDb}" says (${e.size} bytes, the state says ` +
      `${e.length}): something else changed it; nothing was written, as the next append would leave a hole in it. ` +
      "Rebuild the state from the archive as it is with `trailscraper sync --rebuild-state` and the same options",
  );
}

/** `unfinished`: a rebuild stopped there after it rewrote torn parts (its rebuild file stays: the next run ends it). */
function tooLargeHint(config: SyncConfig, e: ArchivePartTooLarge, unfinished: boolean): InputError {
  const done = unfinished
    ? "the rebuild is not finished (torn parts it made whole are not in the state DB yet): the next run finishes it"
    : "nothing was written";
  return new InputError(
    `${e.message}; ${done}. Move it out of "${config.eventsDir}" if sync did not write it, or raise ` +
      `${MAX_INFLATED_VARIABLE} (a part holds events_per_file events)`,
  );
}

function openState(config: SyncConfig, identity: Identity, readOnly = false): SyncState {
  try {
    return SyncState.open(config.stateDb, identity, { readOnly });
  } catch (e) {
    if (e instanceof StateMismatch) {
      throw new UsageError(`state DB "${config.stateDb}" is not for this config: ${e.message}; use another --state-db`);
    }
    if (e instanceof StateVersionError) {
      throw new UsageError(
        `state DB "${config.stateDb}" cannot be used: ${e.message}; rebuild it from the archive with ` +
          "`trailscraper sync --rebuild-state`, or use another --state-db",
      );
    }
    throw new SourceError(`cannot open state DB "${config.stateDb}": ${errorMessage(e)}`, { cause: e });
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, (e) => {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  });
}

async function removeState(path: string): Promise<void> {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    await Deno.remove(p).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
}

/** Takes a lock (`acquire`); `what` names it in the error when it cannot be taken. */
async function takeLock(acquire: () => Promise<SyncLock>, what: string): Promise<SyncLock> {
  try {
    return await acquire();
  } catch (e) {
    if (e instanceof SyncLockBusy) throw new SourceError(e.message);
    throw new SourceError(`cannot lock ${what}: ${errorMessage(e)}`, { cause: e });
  }
}

/**
 * Runs `work` holding the state DB's lock and the events dir's (two runs with their own state DBs on one archive
 * are kept apart too). An events dir the lock made is removed again if the run left it empty.
 */
async function withLocks(config: SyncConfig, work: () => Promise<void>): Promise<void> {
  const lock = await takeLock(() => SyncLock.acquire(config.stateDb), `state DB "${config.stateDb}"`);
  try {
    const madeEvents = !(await exists(config.eventsDir));
    const eventsLock = await takeLock(
      () => SyncLock.acquireEventsDir(config.eventsDir),
      `events dir "${config.eventsDir}"`,
    );
    try {
      await work();
    } finally {
      await eventsLock.release();
      if (madeEvents) await Deno.remove(config.eventsDir).catch(() => {}); // fails unless empty: then it stays
    }
  } finally {
    await lock.release();
  }
}

/** Syncs every trail of the config into the archive; exit 1 when files failed (they are retried on the next run). */
export async function runSync(options: SyncOptions, io: Io): Promise<void> {
  const config = await syncSettings(options, io);
  if (options.dryRun && options.rebuildState) {
    throw new UsageError("--rebuild-state writes the state: not with --dry-run");
  }
  const identity = { eventsDir: config.eventsDir, trails: config.trails.map((t) => `s3://${t.bucket}/${t.prefix}`) };
  if (options.dryRun) return await dryRun(config, identity, options, io);
  await withLocks(config, () => syncLocked(config, identity, options, io));
}

/**
 * `--dry-run`: reads the state if there is one and prints what each folder would fetch; leaves no file behind. It
 * takes the state DB's lock (to remove the files SQLite makes beside it safely), not the events dir's: it neither
 * reads nor writes the archive, so it creates no folder or file there and never keeps a real run out of it.
 */
async function dryRun(config: SyncConfig, identity: Identity, options: SyncOptions, io: Io): Promise<void> {
  // No folder for the state: no state, no run to keep out, nothing to lock.
  const lock = (await exists(dirname(config.stateDb)))
    ? await takeLock(() => SyncLock.acquire(config.stateDb), `state DB "${config.stateDb}"`)
    : undefined;
  const beside = [`${config.stateDb}-wal`, `${config.stateDb}-shm`];
  const existed = await Promise.all(beside.map(exists));
  let state: SyncState | undefined;
  let client: S3Client | undefined;
  try {
    // After a stopped rebuild, the next run finishes it: no file is done then, as in a state that is not there.
    const stopped = await exists(rebuildPathOf(config.stateDb));
    if (stopped) await io.stderr.write(STOPPED_REBUILD_PLAN);
    state = (await exists(config.stateDb)) && !stopped
      ? openState(config, identity, true)
      : SyncState.open(":memory:", identity);
    client = await createS3Client(await s3ClientSettings(options, io.env, (text) => io.stderr.write(text)));
    const pass = await withInterrupt(
      io,
      (signal) =>
        runSyncPass({
          config,
          client: client!,
          state: state!,
          archive: undefined,
          io,
          signal,
          verbose: options.verbose,
        }),
    );
    await io.stderr.write(syncSummary(pass.counts) + "\n");
    if (pass.problems.length > 0) throw new SourceError(pass.problems.at(-1)!);
  } finally {
    client?.destroy();
    state?.close();
    // A read-only connection cannot remove the files SQLite made beside the DB; with the lock held, no one uses them.
    for (const [i, path] of beside.entries()) if (!existed[i]) await Deno.remove(path).catch(() => {});
    await lock?.release();
  }
}

/** Said when a run finishes a rebuild that a stopped `--rebuild-state` run began. */
const STOPPED_REBUILD = "sync: a `sync --rebuild-state` was stopped before it finished; finishing it first\n";

/** Said by `--dry-run` when the next run will finish a stopped rebuild. */
const STOPPED_REBUILD_PLAN =
  "sync: a `sync --rebuild-state` was stopped before it finished; the next run finishes it, so every listed file is " +
  "read again\n";

/** What `--rebuild-state` found in the archive. */
function rebuiltNote(config: SyncConfig, report: RebuildReport): string {
  const cut = report.cut
    ? `, ${report.salvaged} of them read from ${report.cut} gzip files cut inside a member, rewritten up to there`
    : "";
  const validation = report.validation ? `; ${report.validation} validation states kept` : "";
  const lost = report.validationLost
    ? `warning: the validation states of the old state DB could not be kept: ${report.validationLost}\n`
    : "";
  return `sync: state rebuilt from ${report.files} part files in "${config.eventsDir}" (${report.lines} events` +
    `${report.duplicates ? `, ${report.duplicates} lines repeating an earlier key` : ""}${cut}${validation}); ` +
    "every listed S3 file is read again and its events de-duplicated against the archive\n" + lost;
}

/** The archive, cut back to (or adopting past) its last commit, with what was done said on stderr. */
async function recoveredArchive(config: SyncConfig, state: SyncState, io: Io): Promise<Archive> {
  const archive = new Archive(config.eventsDir, {
    eventsPerFile: config.eventsPerFile,
    gzip: config.compress === "gzip",
    limit: logFileLimit(),
  }, state);
  const recovery = await archive.recover();
  if (recovery.adopted.length) {
    await io.stderr.write(
      `sync: kept ${recovery.adoptedLines} events written past the last commit in ${recovery.adopted.length} ` +
        "archive files (a run stopped before committing them)\n",
    );
  }
  if (recovery.truncated.length) {
    await io.stderr.write(`sync: cut the torn tail of ${recovery.truncated.length} archive files\n`);
  }
  return archive;
}

/** A run that holds the lock: rebuild or check the state, recover the archive, sync, report. */
async function syncLocked(config: SyncConfig, identity: Identity, options: SyncOptions, io: Io): Promise<void> {
  const created = !(await exists(config.stateDb));
  let state: SyncState | undefined;
  let client: S3Client | undefined;
  let keep = false; // a state DB this run created stays only once it has listed something (or was rebuilt)
  try {
    // A rebuild stopped before its end may have rewritten part files the old state describes no more: finish it.
    const stopped = !options.rebuildState && await exists(rebuildPathOf(config.stateDb));
    if (stopped) await io.stderr.write(STOPPED_REBUILD);
    if (options.rebuildState || stopped) {
      const report = await rebuildState(config.stateDb, identity, { limit: logFileLimit() });
      keep = true;
      await io.stderr.write(rebuiltNote(config, report));
    }
    state = openState(config, identity);
    if (!state.hasOutputs() && await firstPartFile(config.eventsDir)) throw rebuildHint(config, "holds events");
    client = await createS3Client(await s3ClientSettings(options, io.env, (text) => io.stderr.write(text)));
    const archive = await recoveredArchive(config, state, io);
    const { counts, problems } = await withInterrupt(io, async (signal) => {
      const pass = await runSyncPass({
        config,
        client: client!,
        state: state!,
        archive,
        io,
        signal,
        verbose: options.verbose,
        onListed: () => void (keep = true),
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
      await withInterrupt(io, (signal) => validateArchive(config, client!, { io, signal, profile: options.profile }));
    }
    if (problems.length > 0) throw new SourceError(problems.at(-1)!);
  } catch (e) {
    if (e instanceof UnknownArchiveData) throw rebuildHint(config, `holds events in "${e.path}"`);
    if (e instanceof DamagedArchiveFile) throw damagedHint(config, e);
    if (e instanceof ArchivePartTooLarge) throw tooLargeHint(config, e, await exists(rebuildPathOf(config.stateDb)));
    throw e;
  } finally {
    client?.destroy();
    state?.close();
    if (created && !keep) await removeState(config.stateDb);
  }
}
