/**
 * `sync --rebuild-state`: a new state DB made from the archive alone. Every part file
 * is read back; its complete lines give the ledger row (length, lines) and the
 * de-duplication keys of its partition. Which S3 files were done is not in the
 * archive: the next pass lists and reads them again, and de-duplication keeps every
 * event once. The new DB is built beside the old one and renamed over it at the end: that
 * rename is the rebuild's one commit point (see {@link rebuildPathOf}).
 */
import { join } from "node:path";
import { type InflateLimit, inflateLimit } from "../core/util/inflate_limit.ts";
import { lineBatches, lineKeys, type PartFile, partFiles, readPart } from "./archive_scan.ts";
import { mendGzipPart } from "./gzip_mend.ts";
import { SyncState } from "./sync_state.ts";
import { removeIfThere } from "./remove_if_there.ts";
import { copyValidationStates } from "./validation_state.ts";

/** What a rebuild found. */
export interface RebuildReport {
  files: number;
  lines: number;
  /** Lines whose key an earlier line of the partition already had (kept in the archive, counted once). */
  duplicates: number;
  /** Gzip part files cut inside a member (a torn write), rewritten up to their last line that could be read. */
  cut: number;
  /** Lines kept from the cut members of those files. */
  salvaged: number;
  /** Validation states (`sync --validate`) kept from the old DB. */
  validation: number;
  /** Why the old DB's validation states could not be kept (it cannot be read), if so. */
  validationLost?: string;
}

/**
 * A step of a rebuild after which it may die: a cut part file's new content written beside it ("rewriting"), the
 * part file replaced by it ("mended"), the new DB built (before it is renamed over the old one).
 */
export type RebuildStep = "rewriting" | "mended" | "built";

/** Options of {@link rebuildState}. */
export interface RebuildStateOptions {
  /** How large a part file may be, on disk and inflated (default: {@link inflateLimit}); a larger one is refused. */
  limit?: InflateLimit;
  /** Told after each step (tests stop the process there). */
  onStep?: (step: RebuildStep) => void | Promise<void>;
}

/**
 * Where a rebuild of the state DB at `stateDb` builds the new DB. While this file is there, a rebuild was begun and
 * not finished: it may have rewritten part files that the old DB's ledger no longer describes, so the next run must
 * finish the rebuild before it trusts the old DB (the rename of this file over the old DB ends the rebuild).
 */
export function rebuildPathOf(stateDb: string): string {
  return `${stateDb}.rebuild`;
}

/**
 * Builds the state of the archive in `eventsDir` and puts it at `path` (the caller holds the lock). A part past the
 * limit throws ArchivePartTooLarge, and the state at `path` is left as it was (the rebuild file stays when a part
 * was rewritten: see {@link rebuildPathOf}).
 */
export async function rebuildState(
  path: string,
  identity: { eventsDir: string; trails: string[] },
  options: RebuildStateOptions = {},
): Promise<RebuildReport> {
  const temp = rebuildPathOf(path);
  const resumed = await emptyRebuildFile(temp);
  const report: RebuildReport = { files: 0, lines: 0, duplicates: 0, cut: 0, salvaged: 0, validation: 0 };
  const state = SyncState.open(temp, identity);
  try {
    const rebuild = {
      ...options,
      limit: options.limit ?? inflateLimit(),
      state,
      eventsDir: identity.eventsDir,
      report,
    };
    for await (const file of partFiles(identity.eventsDir)) await addPart(file, rebuild);
  } catch (e) {
    state.close();
    for (const p of [`${temp}-wal`, `${temp}-shm`]) await removeIfThere(p);
    // Part files rewritten (by this rebuild or the one it resumed): the file stays, empty, so the next run finishes it.
    if (resumed || report.cut > 0) await Deno.truncate(temp, 0);
    else await removeIfThere(temp);
    throw e;
  }
  state.close();
  await keepValidationStates(path, temp, report);
  await options.onStep?.("built");
  // The old DB's write-ahead log must not be applied to the new DB.
  for (const p of [`${path}-wal`, `${path}-shm`]) await removeIfThere(p);
  await Deno.rename(temp, path);
  return report;
}

/** Copies the old DB's validation states into the new one; an old DB that cannot be read says why in the report. */
async function keepValidationStates(old: string, temp: string, report: RebuildReport): Promise<void> {
  if (!(await Deno.stat(old).then((i) => i.isFile, () => false))) return;
  try {
    report.validation = copyValidationStates(old, temp);
  } catch (e) {
    report.validationLost = e instanceof Error ? e.message : String(e);
  }
}

/**
 * Makes the rebuild file at `temp` an empty file (a new DB), never removing it first: if it is there, a rebuild
 * was stopped and this one must not lose that mark before it ends. True when it was there.
 */
async function emptyRebuildFile(temp: string): Promise<boolean> {
  const info = await Deno.lstat(temp).catch((e) => {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  });
  // A stopped rebuild's log must go before its DB is emptied: SQLite would replay it into the empty file.
  for (const p of [`${temp}-wal`, `${temp}-shm`]) await removeIfThere(p);
  if (info?.isFile) await Deno.truncate(temp, 0);
  else if (info) await Deno.remove(temp); // not a file this code made (a symlink is never followed)
  return info?.isFile ?? false;
}

/** A rebuild under way: the new state, the archive's folder, what was found so far. */
interface Rebuild extends RebuildStateOptions {
  limit: InflateLimit;
  state: SyncState;
  eventsDir: string;
  report: RebuildReport;
}

/** Reads one part file (making a cut gzip part whole first) into the new state. */
async function addPart(file: PartFile, { limit, state, eventsDir, report, onStep }: Rebuild): Promise<void> {
  const path = join(eventsDir, file.path);
  // A plain file's torn tail (a line without its newline) stays past the ledger's length: the run's recovery cuts it.
  const content = file.gzip
    ? await mendGzipPart(path, { limit, onWritten: () => onStep?.("rewriting") })
    : { ...await readPart(path, false, { limit }), cut: false, salvaged: 0 };
  if (content.cut) {
    report.cut++;
    await onStep?.("mended");
  }
  report.salvaged += content.salvaged;
  state.preparePartition(file.partition);
  let lines = 0;
  await state.transaction(() => {
    for (const batch of lineBatches(content.text)) {
      const fresh = state.claimKeys(file.partition, lineKeys(batch));
      report.duplicates += fresh.filter((f) => !f).length;
      lines += batch.length;
    }
    state.announceOutput({ ...file, length: content.length, lines });
    return Promise.resolve();
  });
  report.files++;
  report.lines += lines;
}
