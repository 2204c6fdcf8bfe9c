/**
 * A gzip part file cut inside a member (a torn write), made whole for `--rebuild-state`: its whole members stay
 * byte for byte, the complete lines that can be inflated from the cut member (each line whose newline was inflated)
 * are written again as one new member, and the torn rest goes. The file is replaced atomically (temp + rename), so
 * the ledger's length is the file's, and no line that could be read is lost.
 */
import { basename, dirname, join } from "node:path";
import { constants, gunzipSync, gzipSync } from "node:zlib";
import { isObject } from "../core/util/data_table.ts";
import { type InflateLimit, inflateLimit, isOverLimit, overLimitIssue } from "../core/util/inflate_limit.ts";
import { ArchivePartTooLarge, type PartContent, readPartBytes, wholeMembers } from "./archive_scan.ts";
import { removeIfThere } from "./remove_if_there.ts";

/** A gzip part file's content after {@link mendGzipPart}. */
export interface MendedPart extends PartContent {
  /** The file was cut inside a member and has been rewritten. */
  cut: boolean;
  /** Lines kept from the cut member. */
  salvaged: number;
}

const decoder = new TextDecoder();

/** Options of {@link mendGzipPart}. */
export interface MendOptions {
  /** How large the part may be, on disk and inflated (default: {@link inflateLimit}); a larger one is refused. */
  limit?: InflateLimit;
  /** Told when the rewritten file is written beside the cut one, before it is renamed over it (tests stop there). */
  onWritten?: () => void | Promise<void>;
}

/**
 * Reads a gzip part file's lines, first making a file cut inside a member whole again (see the module doc). A part
 * past the limit (on disk, or inflated: a gzip bomb) is refused with {@link ArchivePartTooLarge}, and left as it is.
 */
export async function mendGzipPart(path: string, options: MendOptions = {}): Promise<MendedPart> {
  const limit = options.limit ?? inflateLimit();
  const bytes = await readPartBytes(path, true, 0, limit);
  const whole = wholeMembers(bytes, limit);
  if ("issue" in whole) throw new ArchivePartTooLarge(path, whole.issue);
  if (whole.length === bytes.length) return { ...whole, cut: false, salvaged: 0 };
  let readable: Uint8Array;
  try {
    // What the whole members inflated to counts against the limit (a character is at least a byte).
    readable = readableLines(bytes.subarray(whole.length), Math.max(1, limit.bytes - whole.text.length));
  } catch (e) {
    if (isOverLimit(e)) throw new ArchivePartTooLarge(path, overLimitIssue(limit));
    throw e;
  }
  const member = readable.length > 0 ? gzipSync(readable) : new Uint8Array();
  await replaceFile(path, [bytes.subarray(0, whole.length), member], options);
  let salvaged = 0;
  for (let at = readable.indexOf(0x0a); at >= 0; at = readable.indexOf(0x0a, at + 1)) salvaged++;
  return { length: whole.length + member.length, text: whole.text + decoder.decode(readable), cut: true, salvaged };
}

/**
 * The complete lines (with their newlines) that inflate from a gzip member cut short, up to the first that is not a
 * JSON object: sync writes nothing else, so such a line is bytes past the cut that only look like deflate data.
 */
export function readableLines(cut: Uint8Array, maxBytes: number): Uint8Array {
  const text = inflatePrefix(cut.subarray(0, dataEnd(cut)), maxBytes);
  let kept = 0;
  for (let from = 0, nl = text.indexOf(0x0a); nl >= 0; from = nl + 1, nl = text.indexOf(0x0a, from)) {
    if (!isJsonObject(decoder.decode(text.subarray(from, nl)))) break;
    kept = nl + 1;
  }
  return text.subarray(0, kept);
}

/** Zero bytes in a row that deflate data of JSON lines does not hold (it would take some 60 KB of one character). */
const ZERO_RUN = 64;

/**
 * Where the data of a torn write ends: before its first run of {@link ZERO_RUN} zero bytes (a block the file system
 * never wrote, which inflates into made-up bytes) and before the zeros it ends with.
 */
function dataEnd(cut: Uint8Array): number {
  let end = cut.length;
  for (let i = cut.indexOf(0); i >= 0 && i + ZERO_RUN <= cut.length; i = cut.indexOf(0, i + 1)) {
    let run = 1;
    while (run < ZERO_RUN && cut[i + run] === 0) run++;
    if (run === ZERO_RUN) {
      end = i;
      break;
    }
  }
  while (end > 0 && cut[end - 1] === 0) end--;
  return end;
}

function isJsonObject(line: string): boolean {
  try {
    return isObject(JSON.parse(line));
  } catch {
    return false;
  }
}

/**
 * Inflates a gzip stream as far as it goes: everything the longest prefix that inflates without an error gives (a
 * prefix of one that inflates, inflates too, so a binary search finds it when the whole does not). Throws zlib's
 * error when it would inflate past `maxBytes` (see isOverLimit).
 */
export function inflatePrefix(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const inflate = (n: number) => {
    try {
      return gunzipSync(bytes.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: maxBytes });
    } catch (e) {
      if (isOverLimit(e)) throw e;
      return undefined;
    }
  };
  const all = inflate(bytes.length);
  if (all) return all;
  let best: Uint8Array = new Uint8Array();
  for (let lo = 0, hi = bytes.length; hi - lo > 1;) {
    const mid = (lo + hi) >>> 1;
    const out = inflate(mid);
    if (out) [lo, best] = [mid, out];
    else hi = mid;
  }
  return best;
}

/** Writes `parts` to a temporary file beside `path`, flushes it to disk, and renames it over `path`. */
async function replaceFile(path: string, parts: Uint8Array[], options: MendOptions): Promise<void> {
  // One name per part file, not per process: the next rebuild (which holds the events dir's lock too) removes what a
  // killed one left.
  const temp = join(dirname(path), `.${basename(path)}.mend`);
  try {
    // A file left by a killed rebuild goes; `createNew` never follows a symlink put in its place.
    await removeIfThere(temp);
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      for (const bytes of parts) {
        for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
      }
      await file.syncData();
    } finally {
      file.close();
    }
    await options.onWritten?.();
    await Deno.rename(temp, path);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    throw e;
  }
}
