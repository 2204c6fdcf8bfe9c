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

/** The committed content of a part file: its length in bytes (up to the last complete line or gzip member) and lines. */
export interface PartContent {
  length: number;
  lines: string[];
}

const decoder = new TextDecoder();

/** Reads a part file's complete lines; `from` skips the bytes before it (a ledger length). */
export async function readPart(path: string, gzip: boolean, from = 0): Promise<PartContent> {
  const bytes = (await Deno.readFile(path)).subarray(from);
  const { length, text } = gzip ? wholeMembers(bytes) : completeLines(bytes);
  return { length, lines: linesOf(text) };
}

/** The lines of `text` that end with a newline (without it). */
export function linesOf(text: string): string[] {
  const lines = text.slice(0, text.lastIndexOf("\n") + 1).split("\n");
  lines.pop();
  return lines;
}

function completeLines(bytes: Uint8Array): { length: number; text: string } {
  const length = bytes.lastIndexOf(0x0a) + 1;
  return { length, text: decoder.decode(bytes.subarray(0, length)) };
}

/**
 * The longest prefix of whole gzip members (each append writes one), and its text. Its length is what the inflater
 * read, so bytes after the last member that are no gzip data (zeros a file system padded a torn write with) are not
 * counted in it.
 */
export function wholeMembers(bytes: Uint8Array): { length: number; text: string } {
  for (let end = bytes.length; end > 0; end = lastMemberStart(bytes, end)) {
    try {
      const { buffer, engine } = gunzipSync(bytes.subarray(0, end), { info: true }) as unknown as Inflated;
      return { length: engine.bytesWritten, text: decoder.decode(buffer) };
    } catch { /* cut inside the last member: try the one before */ }
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

/** The key a line was written under (its record's eventID, or a hash of its text). */
export function lineKey(line: string): string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch { /* not JSON: keyed by its text */ }
  const record = isObject(raw) ? raw : {};
  return dedupKey(record, line);
}
