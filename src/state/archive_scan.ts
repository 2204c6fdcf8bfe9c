/**
 * Reading the `sync` archive back from disk: its part files, and the complete lines
 * of each (what a rebuild of the state, or a check for data the state does not know,
 * needs). A torn tail (a line without its newline, a gzip member cut short) is not
 * counted: it was never committed.
 */
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { dedupKey } from "../core/sync/sync_partition.ts";
import { isObject } from "../core/util/data_table.ts";
import { type InflateLimit, inflateLimit, isOverLimit, overLimitIssue } from "../core/util/inflate_limit.ts";

/** A part file of the archive, by its path relative to the archive's folder. */
export interface PartFile {
  path: string;
  partition: string;
  part: number;
  gzip: boolean;
}

const PARTITION = /^account=[^/]+\/region=[^/]+\/date=[^/]+$/;
const PART = /^part-(\d+)\.jsonl(\.gz)?$/;

/** Every part file below `dir` (none when it does not exist), partitions in name order. */
export async function* partFiles(dir: string): AsyncGenerator<PartFile> {
  async function* walk(d: string): AsyncGenerator<PartFile> {
    const entries: Deno.DirEntry[] = [];
    try {
      for await (const e of Deno.readDir(d)) entries.push(e);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isDirectory) {
        yield* walk(path);
        continue;
      }
      const partition = relative(dir, d).replaceAll("\\", "/");
      const m = PART.exec(e.name);
      if (e.isFile && m && PARTITION.test(partition)) {
        yield { path: `${partition}/${e.name}`, partition, part: Number(m[1]), gzip: m[2] !== undefined };
      }
    }
  }
  yield* walk(dir);
}

/** The first part file below `dir` that holds at least one byte, if any. */
export async function firstPartFile(dir: string): Promise<string | undefined> {
  for await (const file of partFiles(dir)) {
    if ((await Deno.stat(join(dir, file.path))).size > 0) return join(dir, file.path);
  }
  return undefined;
}

/**
 * The committed content of a part file: its length in bytes (up to the last complete line or gzip member), and the
 * text of those lines (each with its newline); {@link lineBatches} cuts it into lines.
 */
export interface PartContent {
  length: number;
  text: string;
}

/**
 * A part file past the log file limit (sync writes lines of log files that fit in it, `events_per_file` of them: real
 * parts are tens of MB): refused whole, so a hostile part (a gzip bomb put in the archive) costs no more than the
 * limit, and nothing is changed.
 */
export class ArchivePartTooLarge extends Error {
  override name = "ArchivePartTooLarge";
  constructor(readonly path: string, readonly issue: string) {
    super(`archive part "${path}" is ${issue}`);
  }
}

/** Options of {@link readPart}. */
export interface ReadPartOptions {
  /** Bytes to skip at the start (a ledger length). */
  from?: number;
  /** How many bytes the part may hold past `from`, compressed and uncompressed (default: {@link inflateLimit}). */
  limit?: InflateLimit | undefined;
}

const decoder = new TextDecoder();

/** Reads a part file's complete lines; throws {@link ArchivePartTooLarge} for a part past the limit. */
export async function readPart(path: string, gzip: boolean, options: ReadPartOptions = {}): Promise<PartContent> {
  const limit = options.limit ?? inflateLimit();
  const bytes = await readPartBytes(path, gzip, options.from ?? 0, limit);
  if (!gzip) return completeLines(bytes);
  const whole = wholeMembers(bytes, limit);
  if ("issue" in whole) throw new ArchivePartTooLarge(path, whole.issue);
  return whole;
}

/**
 * The bytes of a part file from `from`, refused (without reading them) when there are more than `limit` of them, and
 * read no further than that when the file grows while it is read.
 */
export async function readPartBytes(
  path: string,
  gzip: boolean,
  from: number,
  limit: InflateLimit,
): Promise<Uint8Array> {
  const over = () => new ArchivePartTooLarge(path, overLimitIssue(limit, gzip ? "compressed" : "uncompressed"));
  const file = await Deno.open(path, { read: true });
  try {
    const size = Math.max(0, (await file.stat()).size - from);
    if (size > limit.bytes) throw over();
    await file.seek(from, Deno.SeekMode.Start);
    // One byte more than the size, to see the end; a file that grows while it is read gets a larger buffer, up to
    // one byte past the limit.
    let buffer = new Uint8Array(size + 1);
    let length = 0;
    for (let n = await file.read(buffer); n !== null; n = await file.read(buffer.subarray(length))) {
      length += n;
      if (length > limit.bytes) throw over();
      if (length === buffer.length) {
        const grown = new Uint8Array(Math.min(buffer.length * 2, limit.bytes + 1));
        grown.set(buffer);
        buffer = grown;
      }
    }
    return buffer.subarray(0, length);
  } finally {
    file.close();
  }
}

/** The lines of `text` that end with a newline (without it), at most `size` at a time: never one array of them all. */
export function* lineBatches(text: string, size = 10_000): Generator<string[]> {
  let batch: string[] = [];
  for (let from = 0, nl = text.indexOf("\n"); nl >= 0; from = nl + 1, nl = text.indexOf("\n", from)) {
    batch.push(text.slice(from, nl));
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The text of `text`'s complete lines (up to its last newline). */
export function completeText(text: string): string {
  return text.slice(0, text.lastIndexOf("\n") + 1);
}

function completeLines(bytes: Uint8Array): PartContent {
  const length = bytes.lastIndexOf(0x0a) + 1;
  return { length, text: decoder.decode(bytes.subarray(0, length)) };
}

/**
 * Gzip headers tried, from the end, as the start of a cut last member. A torn write cuts one member, whose deflate
 * data holds a fake header about once in 16 MB; a file full of them (a hostile one) gets no more than this many
 * tries, each of which inflates the file up to it. After that no member counts as whole: a rebuild salvages the lines
 * that inflate, a recovery cuts the tail (whose S3 files were not committed, so they are read again).
 */
const MEMBER_TRIES = 16;

/**
 * The longest prefix of whole gzip members (each append writes one), and its complete lines; an issue when inflating
 * goes past `limit` (a gzip bomb: inflating stops there). Its length is what the inflater read, so bytes after the
 * last member that are no gzip data (zeros a file system padded a torn write with) are not counted in it.
 */
export function wholeMembers(bytes: Uint8Array, limit: InflateLimit = inflateLimit()): PartContent | { issue: string } {
  let end = bytes.length;
  for (let tries = 0; end > 0 && tries < MEMBER_TRIES; tries++, end = lastMemberStart(bytes, end)) {
    try {
      const options = { info: true, maxOutputLength: limit.bytes };
      const { buffer, engine } = gunzipSync(bytes.subarray(0, end), options) as unknown as Inflated;
      return { length: engine.bytesWritten, text: completeText(decoder.decode(buffer)) };
    } catch (e) {
      if (isOverLimit(e)) return { issue: overLimitIssue(limit) };
      // Cut inside the last member: try the one before.
    }
  }
  return { length: 0, text: "" };
}

/** What `gunzipSync` returns with `info: true`: the output, and how many input bytes the inflater read. */
interface Inflated {
  buffer: Uint8Array;
  engine: { bytesWritten: number };
}

/** Where the last gzip header before `end` starts (0 when there is none). */
function lastMemberStart(bytes: Uint8Array, end: number): number {
  for (let i = end - 1; i > 0; i--) {
    if (bytes[i] === 0x1f && bytes[i + 1] === 0x8b && bytes[i + 2] === 0x08) return i;
  }
  return 0;
}

/** The keys of `lines` ({@link lineKey}), each distinct line keyed once (a part of one line repeated costs one). */
export function lineKeys(lines: string[]): string[] {
  const seen = new Map<string, string>();
  return lines.map((line) => {
    let key = seen.get(line);
    if (key === undefined) seen.set(line, key = lineKey(line));
    return key;
  });
}

/** The key a line was written under (its record's eventID, or a hash of its text). */
export function lineKey(line: string): string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch { /* not JSON: keyed by its text */ }
  const record = isObject(raw) ? raw : {};
  return dedupKey(record, line);
}
