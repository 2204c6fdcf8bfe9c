/**
 * The `sync` archive on disk: Hive-partitioned JSON Lines part files whose committed
 * lengths live in the state DB. Appends are fsynced before the ledger row that counts
 * them commits, and on start every file longer than the ledger says is cut back, so
 * a crash at any instant loses nothing and duplicates nothing.
 */
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { partPath, type PartState, planAppends } from "../core/archive_plan.ts";
import type { OutputFile, SyncState } from "./sync_state.ts";

/** New lines of one partition, each a complete line with its newline. */
export interface PartitionAppend {
  partition: string;
  lines: Uint8Array[];
}

/** What recovery did. */
export interface Recovery {
  /** Files cut back to their committed length (a killed run's uncommitted tail). */
  truncated: string[];
  /** Files shorter than the ledger says, or gone: changed by something else. */
  damaged: string[];
}

/** Options of {@link Archive}. */
export interface ArchiveOptions {
  eventsPerFile: number;
  gzip: boolean;
}

/** Appends to the archive in `dir`, keeping the ledger in `state`. */
export class Archive {
  #parts = new Map<string, OutputFile>();

  constructor(readonly dir: string, private readonly options: ArchiveOptions, private readonly state: SyncState) {}

  /** Cuts every file back to its committed length; reports files that are shorter or gone. */
  async recover(): Promise<Recovery> {
    const recovery: Recovery = { truncated: [], damaged: [] };
    for (const output of this.state.outputs()) {
      const path = join(this.dir, output.path);
      let size: number;
      try {
        size = (await Deno.stat(path)).size;
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
        if (output.length > 0) recovery.damaged.push(path);
        continue;
      }
      if (size > output.length) {
        await Deno.truncate(path, output.length);
        recovery.truncated.push(path);
      } else if (size < output.length) recovery.damaged.push(path);
    }
    return recovery;
  }

  #lastPart(partition: string): OutputFile | undefined {
    const cached = this.#parts.get(partition);
    if (cached) return cached;
    const last = this.state.lastPart(partition);
    if (last) this.#parts.set(partition, last);
    return last;
  }

  /**
   * Writes new lines: spreads them over part files, announces new files in the
   * ledger (length 0) before creating them, appends and fsyncs. Returns the output
   * rows to commit with the files they came from; until then a crash cuts them off.
   */
  async append(batch: PartitionAppend[]): Promise<OutputFile[]> {
    const rows: OutputFile[] = [];
    for (const { partition, lines } of batch) {
      const last = this.#lastPart(partition);
      const plan = planAppends(last as PartState | undefined, lines.length, this.options.eventsPerFile);
      for (const step of plan) {
        const relative = partPath(partition, step.part, this.options.gzip);
        const current: OutputFile = step.isNew || !last || last.part !== step.part
          ? { path: relative, partition, part: step.part, length: 0, lines: 0 }
          : { ...last };
        if (step.isNew) {
          this.state.announceOutput(current);
          await Deno.mkdir(dirname(join(this.dir, relative)), { recursive: true });
        }
        const data = concat(lines.slice(step.from, step.to));
        const bytes = this.options.gzip ? gzipSync(data) : data;
        const file = await Deno.open(join(this.dir, relative), { write: true, create: true });
        try {
          await file.truncate(current.length); // an uncommitted tail of a failed commit goes
          await file.seek(current.length, Deno.SeekMode.Start);
          for (let written = 0; written < bytes.length;) written += await file.write(bytes.subarray(written));
          await file.syncData();
        } finally {
          file.close();
        }
        const next = { ...current, length: current.length + bytes.length, lines: current.lines + step.to - step.from };
        this.#parts.set(partition, next);
        rows.push(next);
      }
    }
    return rows;
  }

  /** Forgets cached part positions (after a failed commit, the ledger is the truth again). */
  reset(): void {
    this.#parts.clear();
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
