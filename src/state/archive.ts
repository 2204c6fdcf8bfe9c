/**
 * The `sync` archive on disk: Hive-partitioned JSON Lines part files whose committed
 * lengths live in the state DB. Appends are fsynced before the ledger row that counts
 * them commits, and on start every file longer than the ledger says is cut back, so
 * a crash at any instant loses nothing and duplicates nothing.
 */
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { partPath, type PartState, planAppends } from "../core/sync/archive_plan.ts";
import type { InflateLimit } from "../core/util/inflate_limit.ts";
import { lineBatches, lineKeys, readPart } from "./archive_scan.ts";
import type { OutputFile, SyncState } from "./sync_state.ts";
import { removeIfThere } from "./remove_if_there.ts";

/** New lines of one partition, each a complete line with its newline. */
export interface PartitionAppend {
  partition: string;
  lines: Uint8Array[];
}

/** What recovery did. */
export interface Recovery {
  /** Files whose complete lines past their committed length were kept and committed (a run stopped before its commit). */
  adopted: string[];
  /** Events kept that way. */
  adoptedLines: number;
  /** Files cut back past their last complete line (a torn tail: a line without its newline, a cut gzip member). */
  truncated: string[];
}

/** Options of {@link Archive}. */
export interface ArchiveOptions {
  eventsPerFile: number;
  gzip: boolean;
  /** How many bytes past its committed length a part may hold when recovered (default: the log file limit). */
  limit?: InflateLimit;
}

/** A part file the ledger does not know holds data: the state is not this archive's (lost, or replaced). */
export class UnknownArchiveData extends Error {
  override name = "UnknownArchiveData";
  constructor(readonly path: string) {
    super(`"${path}" holds events that the state DB does not know`);
  }
}

/**
 * A part file shorter than the ledger says, or gone: something else changed it. Appending at the ledger's
 * length would leave a hole of zero bytes in it, so nothing is written until the state is rebuilt.
 */
export class DamagedArchiveFile extends Error {
  override name = "DamagedArchiveFile";
  constructor(readonly path: string, readonly size: number, readonly length: number) {
    super(`"${path}" holds ${size} bytes where the state DB says ${length}`);
  }
}

/** The size of the file at `path`; 0 when it is gone. */
async function sizeOf(path: string): Promise<number> {
  return await Deno.stat(path).then((s) => s.size, (e) => {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  });
}

/** The header every gzip member starts with (magic, deflate), as `append` writes it. */
const GZIP_HEADER = [0x1f, 0x8b, 0x08];

/**
 * Whether the bytes of a part file past its ledger length may be what a stopped append began there. In a JSONL file,
 * the ledger's length ends a line. In a gzip file, the bytes there are a member's header, or the start of one, or a
 * zero byte (a torn write the file system padded). Anything else was not appended to this ledger's file.
 */
async function appendMayStart(path: string, output: OutputFile): Promise<boolean> {
  const gzip = output.path.endsWith(".gz");
  if (!gzip && output.length === 0) return true;
  const file = await Deno.open(path, { read: true });
  try {
    await file.seek(gzip ? output.length : output.length - 1, Deno.SeekMode.Start);
    const head = new Uint8Array(GZIP_HEADER.length);
    const n = (await file.read(head)) ?? 0;
    if (!gzip) return head[0] === 0x0a;
    return head[0] === 0 || head.subarray(0, n).every((b, i) => b === GZIP_HEADER[i]);
  } finally {
    file.close();
  }
}

/** Appends to the archive in `dir`, keeping the ledger in `state`. */
export class Archive {
  /** Per partition, the part appends go to next (null: none yet), as committed; filled before announcing new parts. */
  #parts = new Map<string, OutputFile | null>();

  constructor(readonly dir: string, private readonly options: ArchiveOptions, private readonly state: SyncState) {}

  /**
   * Makes every file agree with the ledger without losing a complete line: lines past
   * the committed length (a run stopped between its fsync and its commit, or a state
   * older than the archive) are kept and committed with their keys, so their files'
   * events are dropped as duplicates when read again; only a torn tail is cut.
   */
  async recover(): Promise<Recovery> {
    const recovery: Recovery = { adopted: [], adoptedLines: 0, truncated: [] };
    const outputs = this.state.outputs();
    const sizes = await Promise.all(outputs.map((output) => sizeOf(join(this.dir, output.path))));
    // Refused before anything changes: a file shorter than the ledger cannot take the next append.
    const short = outputs.findIndex((output, i) => sizes[i]! < output.length);
    if (short >= 0) {
      throw new DamagedArchiveFile(join(this.dir, outputs[short]!.path), sizes[short]!, outputs[short]!.length);
    }
    // So is a file whose bytes past the ledger are not what a run appends there (the file was replaced): cutting
    // it would lose lines, adopting it would archive half a line.
    for (const [i, output] of outputs.entries()) {
      const path = join(this.dir, output.path);
      if (sizes[i]! > output.length && !(await appendMayStart(path, output))) throw new UnknownArchiveData(path);
    }
    for (const [i, output] of outputs.entries()) {
      const path = join(this.dir, output.path);
      const size = sizes[i]!;
      let length = output.length;
      if (size > length) {
        const tail = await readPart(path, output.path.endsWith(".gz"), { from: length, limit: this.options.limit });
        if (tail.text !== "") {
          this.state.preparePartition(output.partition);
          let lines = 0;
          await this.state.transaction(() => {
            for (const batch of lineBatches(tail.text)) {
              this.state.claimKeys(output.partition, lineKeys(batch));
              lines += batch.length;
            }
            this.state.announceOutput({ ...output, length: length + tail.length, lines: output.lines + lines });
            return Promise.resolve();
          });
          length += tail.length;
          recovery.adopted.push(path);
          recovery.adoptedLines += lines;
        }
        if (size > length) {
          await Deno.truncate(path, length);
          recovery.truncated.push(path);
        }
      }
      // Announced, never written: no empty file for query engines.
      if (length === 0) await removeIfThere(path);
    }
    return recovery;
  }

  /** The part each partition appends to next (as committed, or as announced by {@link prepare}). */
  #current(partition: string): OutputFile | undefined {
    if (!this.#parts.has(partition)) this.#parts.set(partition, this.state.lastPart(partition) ?? null);
    return this.#parts.get(partition) ?? undefined;
  }

  /**
   * Before a batch's transaction: gives its partitions their ids and announces in the
   * ledger (length 0) every part file that up to `counts` new lines could need, so no
   * file is ever written that the ledger does not know.
   */
  async prepare(counts: Map<string, number>): Promise<void> {
    for (const [partition, count] of counts) {
      this.state.preparePartition(partition);
      const last = this.#current(partition);
      for (const step of planAppends(last as PartState | undefined, count, this.options.eventsPerFile)) {
        if (!step.isNew) continue;
        const file = {
          path: partPath(partition, step.part, this.options.gzip),
          partition,
          part: step.part,
          length: 0,
          lines: 0,
        };
        await this.#refuseUnknown(join(this.dir, file.path));
        this.state.announceOutput(file);
        await Deno.mkdir(dirname(join(this.dir, file.path)), { recursive: true });
      }
    }
  }

  /** A new part file must not exist with data in it: writing it from byte 0 would lose what it holds. */
  async #refuseUnknown(path: string): Promise<void> {
    if (await sizeOf(path) > 0) throw new UnknownArchiveData(path);
  }

  /**
   * Inside the batch's transaction: appends the new lines to the part files announced
   * by {@link prepare}, fsyncs them, and returns the output rows to record. Until the
   * transaction commits, a crash leaves only bytes past the ledger, which recovery cuts.
   */
  async append(batch: PartitionAppend[]): Promise<OutputFile[]> {
    // Partitions are separate files: write and fsync them at once, so the disk sees them together. Every write
    // settles before a failure is reported, so none is still writing while the caller rolls back.
    const settled = await Promise.allSettled(batch.map((p) => this.#appendPartition(p)));
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    return settled.flatMap((s) => (s.status === "fulfilled" ? s.value : []));
  }

  async #appendPartition({ partition, lines }: PartitionAppend): Promise<OutputFile[]> {
    const rows: OutputFile[] = [];
    let current = this.#current(partition);
    for (const step of planAppends(current as PartState | undefined, lines.length, this.options.eventsPerFile)) {
      const file: OutputFile = step.isNew || current === undefined
        ? { path: partPath(partition, step.part, this.options.gzip), partition, part: step.part, length: 0, lines: 0 }
        : current;
      const chunks = coalesce(lines.slice(step.from, step.to));
      const parts = this.options.gzip ? [gzipSync(concat(chunks))] : chunks;
      const handle = await Deno.open(join(this.dir, file.path), { write: true, create: true });
      let written = 0;
      try {
        // Shorter than the ledger (changed since recovery): truncating up to the ledger's length would write a hole.
        const size = (await handle.stat()).size;
        if (size < file.length) throw new DamagedArchiveFile(join(this.dir, file.path), size, file.length);
        await handle.truncate(file.length); // the uncommitted tail of a failed batch goes
        await handle.seek(file.length, Deno.SeekMode.Start);
        for (const bytes of parts) {
          for (let at = 0; at < bytes.length;) at += await handle.write(bytes.subarray(at));
          written += bytes.length;
        }
        await handle.syncData();
      } finally {
        handle.close();
      }
      current = { ...file, length: file.length + written, lines: file.lines + step.to - step.from };
      rows.push(current);
    }
    return rows;
  }

  /** After the commit: the rows are the new current parts. */
  committed(rows: OutputFile[]): void {
    for (const row of rows) this.#parts.set(row.partition, row);
  }

  /** After a failed commit: forget cached parts, the ledger is the truth again. */
  reset(): void {
    this.#parts.clear();
  }
}

/** Lines that lie one after the other in the same buffer (the usual case: no duplicates between them) as one view each. */
function coalesce(lines: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const line of lines) {
    const last = out.at(-1);
    if (last && last.buffer === line.buffer && last.byteOffset + last.length === line.byteOffset) {
      out[out.length - 1] = new Uint8Array(last.buffer, last.byteOffset, last.length + line.length);
    } else out.push(line);
  }
  return out;
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
