/**
 * `sync --rebuild-state`: a new state DB made from the archive alone. Every part file
 * is read back; its complete lines give the ledger row (length, lines) and the
 * de-duplication keys of its partition. Which S3 files were done is not in the
 * archive: the next pass lists and reads them again, and de-duplication keeps every
 * event once. The new DB is built beside the old one and renamed over it at the end.
 */
import { join } from "node:path";
import { type InflateLimit, inflateLimit } from "../core/util/inflate_limit.ts";
import { lineBatches, lineKeys, partFiles, readPart } from "./archive_scan.ts";
import { mendGzipPart } from "./gzip_mend.ts";
import { SyncState } from "./sync_state.ts";
import { removeIfThere } from "./remove_if_there.ts";

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
}

/** Options of {@link rebuildState}. */
export interface RebuildOptions {
  /** How large a part file may be, on disk and inflated (default: {@link inflateLimit}); a larger one is refused. */
  limit?: InflateLimit;
}

/**
 * Builds the state of the archive in `eventsDir` and puts it at `path` (the caller holds the lock). A part past the
 * limit throws ArchivePartTooLarge, and the state at `path` is left as it was.
 */
export async function rebuildState(
  path: string,
  identity: { eventsDir: string; trails: string[] },
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const limit = options.limit ?? inflateLimit();
  const temp = `${path}.rebuild-${Deno.pid}`;
  for (const p of [temp, `${temp}-wal`, `${temp}-shm`]) await removeIfThere(p);
  const report: RebuildReport = { files: 0, lines: 0, duplicates: 0, cut: 0, salvaged: 0 };
  const state = SyncState.open(temp, identity);
  try {
    for await (const file of partFiles(identity.eventsDir)) {
      const path = join(identity.eventsDir, file.path);
      // A plain file's torn tail (a line without its newline) stays past the ledger's length: the run's recovery cuts it.
      const content = file.gzip
        ? await mendGzipPart(path, limit)
        : { ...await readPart(path, false, { limit }), cut: false, salvaged: 0 };
      report.cut += content.cut ? 1 : 0;
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
  } catch (e) {
    state.close();
    for (const p of [temp, `${temp}-wal`, `${temp}-shm`]) await removeIfThere(p);
    throw e;
  }
  state.close();
  // The old DB's write-ahead log must not be applied to the new DB.
  for (const p of [`${path}-wal`, `${path}-shm`]) await removeIfThere(p);
  await Deno.rename(temp, path);
  return report;
}
