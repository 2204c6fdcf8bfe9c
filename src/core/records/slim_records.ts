/**
 * Bulk parsing that keeps only what a command reads: a chunk of Records elements is validated and
 * reduced by a WebAssembly scanner (`slim_scan.c`) to each record's wanted top-level keys, and only
 * that is given to `JSON.parse`. A CloudTrail record is ~1.5 kB, of which a policy needs its event
 * source and name, type and `resources` (and for `--resources precise` its parameters and response):
 * most of what JSON.parse would build is never read. The scanner accepts exactly what JSON.parse
 * accepts, so a chunk reads the same records either way (`undefined` when it does not scan: the
 * caller parses it whole, which also finds the real error).
 *
 * Conditional keys: a key only some records need (API Gateway's grants read `requestParameters`; no other call's
 * grant does) is kept only in records whose text holds a marker every such record holds (`apigateway`, in its event
 * source), or a `\u` escape (which can spell the marker without holding it).
 */
import type { ChunkGeometry } from "./bulk_records.ts";
import { SLIM_SCAN_WASM } from "./slim_scan_wasm.ts";

interface ScanExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  scan(input: number, length: number, output: number, keys: number, marker: number, markerLength: number): number;
  scan_newlines(): number;
  scan_last_newline(): number;
  scan_non_ascii(): number;
}

/** Keys only some records need, and the text (plain ASCII) every one of those records holds. */
export interface ConditionalKeys {
  keys: readonly string[];
  when: string;
}

/** The top-level keys a consumer of records reads: always, and of the records holding a text only. */
export interface RecordFields {
  keys: readonly string[];
  conditional?: ConditionalKeys | undefined;
}

/** Zero bytes after the input: the scanner's reads past the end (16 at a time) meet them. */
const PAD = 32;
/** Room for the key list and the marker in the module's memory (half each). */
const KEYS_BYTES = 2048;
const PART = 1024;
/** Chunks larger than this are parsed whole: the module's memory grows to twice the largest chunk and stays. */
export const MAX_SLIM_CHUNK = 4 << 20;
const PAGE = 65536;
const decoder = new TextDecoder();
const WANTED_KEY = /^[A-Za-z0-9_]{1,255}$/;

/** The scanner's instance; null once it could not be made (every chunk is then parsed whole). */
let loaded: ScanExports | null | undefined;

/**
 * The scanner, or null where WebAssembly is not there (V8 with `--jitless`, as some locked-down hosts run it) or
 * refuses the module: the whole parse reads the same records.
 */
function scanner(): ScanExports | null {
  if (loaded === undefined) {
    try {
      const bytes = Uint8Array.from(atob(SLIM_SCAN_WASM), (c) => c.charCodeAt(0));
      loaded = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as ScanExports;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** The key list as the scanner reads it: a count, then each key's flag (1: conditional), length and bytes. */
function encodeKeys(keys: readonly string[], conditional: readonly string[]): Uint8Array {
  const unique = [...new Set([...keys, ...conditional])];
  if (unique.length > 255) throw new Error("slim records: at most 255 keys");
  const bytes = [unique.length];
  for (const key of unique) {
    if (!WANTED_KEY.test(key)) throw new Error(`slim records: "${key}" is not a plain key`);
    bytes.push(keys.includes(key) ? 0 : 1, key.length, ...[...key].map((c) => c.charCodeAt(0)));
  }
  if (bytes.length > PART) throw new Error("slim records: the keys take more than 1 KiB");
  return new Uint8Array(bytes);
}

/** How the scanned chunk moves the input position (as `chunkGeometry` of its decoded text). */
function geometryOf(exports: ScanExports, bytes: Uint8Array): ChunkGeometry {
  const newlines = exports.scan_newlines();
  const last = newlines === 0 ? -1 : exports.scan_last_newline() >>> 0;
  // Bytes are UTF-16 units when every byte is ASCII; else the text after the last line end is decoded to count.
  const tail = exports.scan_non_ascii() === 0
    ? bytes.length - last - 1
    : decoder.decode(bytes.subarray(last + 1)).length;
  return { newlines, tail };
}

/** Reads chunks of Records elements with each record reduced to the given top-level keys. */
export class SlimRecords {
  /** The key list, then the marker of conditional keys. */
  readonly #lists = new Uint8Array(KEYS_BYTES);
  readonly #markerLength: number;

  /** The keys (plain ASCII names) every consumer of the records reads, and those read of some records only. */
  constructor({ keys, conditional }: RecordFields) {
    const marker = new TextEncoder().encode(conditional?.when ?? "");
    // Only bytes JSON has no short escape for: "\/" or "\t" would spell the text without the record holding it.
    if (marker.length > PART || marker.some((b) => b >= 0x80 || b < 0x20 || b === 0x5c || b === 0x22 || b === 0x2f)) {
      throw new Error('slim records: the conditional text must be plain ASCII without \\, ", / or control characters');
    }
    if (conditional && marker.length === 0) throw new Error("slim records: conditional keys need a text");
    this.#lists.set(encodeKeys(keys, conditional?.keys ?? []), 0);
    this.#lists.set(marker, PART);
    this.#markerLength = marker.length;
  }

  /** The records of a chunk (the elements between `[` and `]`, as bulk parsing cuts them), or undefined. */
  read(bytes: Uint8Array): { records: unknown[]; geometry: ChunkGeometry } | undefined {
    const exports = bytes.length > MAX_SLIM_CHUNK ? null : scanner();
    if (!exports) return undefined;
    const lists = exports.__heap_base.value as number;
    const input = lists + KEYS_BYTES;
    const output = input + bytes.length + PAD;
    const needed = output + bytes.length + 2;
    const have = exports.memory.buffer.byteLength;
    if (have < needed) exports.memory.grow(Math.ceil((needed - have) / PAGE));
    const memory = new Uint8Array(exports.memory.buffer);
    memory.set(this.#lists, lists);
    memory.set(bytes, input);
    memory.fill(0, input + bytes.length, output);
    const length = exports.scan(input, bytes.length, output, lists, lists + PART, this.#markerLength);
    if (length < 0) return undefined;
    let records: unknown;
    try {
      records = JSON.parse(decoder.decode(memory.subarray(output, output + length)));
    } catch {
      return undefined; // cannot happen when the scanner is right; the whole parse decides
    }
    return Array.isArray(records) ? { records, geometry: geometryOf(exports, bytes) } : undefined;
  }
}
