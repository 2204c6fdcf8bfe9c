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
  scan(
    input: number,
    length: number,
    output: number,
    keys: number,
    marker: number,
    markerLength: number,
    side: number,
  ): number;
  scan_newlines(): number;
  scan_last_newline(): number;
  scan_non_ascii(): number;
  scan_elements(): number;
  repeats_count(): number;
  repeats_start(table: number, bits: number, k0: number, k1: number, k2: number, k3: number): void;
  repeats_grow(bits: number): void;
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

/** The repeats table's first size (64 KiB), and its largest (32 MiB, 1.8M records); 16 bytes a slot. */
const FIRST_TABLE_BITS = 12;
const MAX_TABLE_BITS = 21;
/** Up to this size (1 MiB) the table grows whatever the share of repeats. */
const FREE_TABLE_BITS = 16;

/** The scanner's instance; null once it could not be made (every chunk is then parsed whole). */
let loaded: ScanExports | null | undefined;
/** The repeats table, after the key lists: its size in slots (log 2; 0 for none yet), and which reader's it is. */
let tableBits = 0;
let tableOwner: object | undefined;

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

/** What {@link SlimRecords.read} gives: the records, how the chunk moves the input position, and its repeats. */
export interface SlimChunk {
  records: unknown[];
  geometry: ChunkGeometry;
  /**
   * With repeats: an entry per element of the chunk, in order. `2 * n` for a record new since numbering began (the
   * next of `records`, number n), `2 * n + 1` for one reduced to the same text as record n (not in `records`), and -1
   * for a new one without a number (the next of `records`: not an object, or the table is full). Numbering begins
   * again at 0 after a chunk that did not scan (or when another reader used the table): a number is only ever given
   * as a repeat after the record with that number was given, since numbering last began.
   */
  side?: Int32Array;
}

/** Memory for `needed` bytes in the scanner's instance, or undefined when it cannot grow that far. */
function ensureMemory(exports: ScanExports, needed: number): Uint8Array | undefined {
  const have = exports.memory.buffer.byteLength;
  try {
    if (have < needed) exports.memory.grow(Math.ceil((needed - have) / PAGE));
  } catch {
    return undefined; // a RangeError: past the module's limit, or the host refused
  }
  return new Uint8Array(exports.memory.buffer);
}

/** Reads chunks of Records elements with each record reduced to the given top-level keys. */
export class SlimRecords {
  /** The key list, then the marker of conditional keys. */
  readonly #lists = new Uint8Array(KEYS_BYTES);
  readonly #markerLength: number;
  /** The key of the repeats' hash (4 words, random per process: the caller's), when repeats are asked for. */
  readonly #repeatKey: Uint32Array | undefined;
  #renumber = true;
  /** Records scanned with repeats, and how many of them were repeats (whether growing the table pays). */
  #scanned = 0;
  #repeats = 0;

  /**
   * The keys (plain ASCII names) every consumer of the records reads, and those read of some records only. With
   * `repeatKey` (4 random words), a record reduced to the same text as an earlier one is given as its number only
   * (see {@link SlimChunk.side}).
   */
  constructor({ keys, conditional }: RecordFields, options: { repeatKey?: Uint32Array } = {}) {
    const marker = new TextEncoder().encode(conditional?.when ?? "");
    // Only bytes JSON has no short escape for: "\/" or "\t" would spell the text without the record holding it.
    if (marker.length > PART || marker.some((b) => b >= 0x80 || b < 0x20 || b === 0x5c || b === 0x22 || b === 0x2f)) {
      throw new Error('slim records: the conditional text must be plain ASCII without \\, ", / or control characters');
    }
    if (conditional && marker.length === 0) throw new Error("slim records: conditional keys need a text");
    if (options.repeatKey && options.repeatKey.length !== 4) throw new Error("slim records: the repeat key is 4 words");
    this.#lists.set(encodeKeys(keys, conditional?.keys ?? []), 0);
    this.#lists.set(marker, PART);
    this.#markerLength = marker.length;
    this.#repeatKey = options.repeatKey ? Uint32Array.from(options.repeatKey) : undefined;
  }

  /**
   * Makes the table this reader's (empty, numbering from 0) when it is not, or after a chunk did not scan. It starts
   * again at its first size: clearing it costs its size, and input can follow every chunk with one that does not
   * scan (a grown table cleared each time was a 32 MiB fill per 64 KiB chunk); growing again costs what it holds.
   */
  #own(exports: ScanExports, table: number): boolean {
    if (tableOwner === this && !this.#renumber) return true;
    const bits = FIRST_TABLE_BITS;
    const bytes = 16 << bits;
    const memory = ensureMemory(exports, table + bytes);
    if (!memory) return false;
    memory.fill(0, table, table + bytes);
    const [k0, k1, k2, k3] = this.#repeatKey!;
    exports.repeats_start(table, tableBits = bits, k0!, k1!, k2!, k3!);
    tableOwner = this;
    this.#renumber = false;
    return true;
  }

  /**
   * Doubles the table once it is 3/4 full (up to its largest size: past that, new records get no number), in place
   * (`repeats_grow`): the module's memory can only grow, so a second table would stay as dead weight.
   */
  #grow(exports: ScanExports, table: number): void {
    if (tableBits >= MAX_TABLE_BITS || exports.repeats_count() < (3 << tableBits) / 4) return;
    // Past 1 MiB, only while repeats pay: at least one record in eight so far (else the table and the callers' effects
    // would grow with every record for nothing; records past the table's limit come without a number).
    if (tableBits >= FREE_TABLE_BITS && this.#repeats * 8 < this.#scanned) return;
    const half = 16 << tableBits;
    const memory = ensureMemory(exports, table + 2 * half);
    if (!memory) return; // it stays as large as it is
    memory.fill(0, table + half, table + 2 * half);
    exports.repeats_grow(++tableBits);
  }

  /**
   * Frees the repeats table (the scanner's memory, which can only grow, is given back with its instance: the next
   * read makes a new one). Numbering begins again at the next read.
   */
  close(): void {
    this.#renumber = true;
    if (tableOwner !== this) return;
    loaded = undefined;
    tableBits = 0;
    tableOwner = undefined;
  }

  /** The records of a chunk (the elements between `[` and `]`, as bulk parsing cuts them), or undefined. */
  read(bytes: Uint8Array): SlimChunk | undefined {
    const exports = bytes.length > MAX_SLIM_CHUNK ? null : scanner();
    if (!exports) return undefined;
    const lists = exports.__heap_base.value as number;
    const table = lists + KEYS_BYTES;
    if (this.#repeatKey && !this.#own(exports, table)) return undefined;
    const input = table + (tableBits === 0 ? 0 : 16 << tableBits);
    const output = input + bytes.length + PAD;
    const side = this.#repeatKey ? (output + bytes.length + 2 + 3) & ~3 : 0;
    const memory = ensureMemory(exports, side ? side + 4 * (bytes.length / 2 + 2) : output + bytes.length + 2);
    if (!memory) return undefined;
    memory.set(this.#lists, lists);
    memory.set(bytes, input);
    memory.fill(0, input + bytes.length, output);
    const length = exports.scan(input, bytes.length, output, lists, lists + PART, this.#markerLength, side);
    const records = length < 0 ? undefined : parseArray(memory.subarray(output, output + length));
    if (!records) {
      // The numbers the scan gave reach no caller: they are given again from 0.
      this.#renumber = true;
      return undefined;
    }
    const chunk: SlimChunk = { records, geometry: geometryOf(exports, bytes) };
    if (!this.#repeatKey) return chunk;
    chunk.side = new Int32Array(exports.memory.buffer, side, exports.scan_elements()).slice();
    this.#scanned += chunk.side.length;
    this.#repeats += chunk.side.length - chunk.records.length;
    this.#grow(exports, table);
    return chunk;
  }
}

/** The scanner's output as a list, or undefined (which cannot happen when the scanner is right: the whole parse decides). */
function parseArray(text: Uint8Array): unknown[] | undefined {
  try {
    const records: unknown = JSON.parse(decoder.decode(text));
    return Array.isArray(records) ? records : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Gives each element of a chunk to `add` (with its number, if it has one) or, for a repeat, its number to `repeat`,
 * in the chunk's order.
 */
export function eachScanned(
  chunk: SlimChunk,
  add: (raw: unknown, id?: number) => void,
  repeat: (id: number) => void,
): void {
  const { records, side } = chunk;
  if (!side) {
    for (const raw of records) add(raw);
    return;
  }
  let next = 0;
  for (let i = 0; i < side.length; i++) {
    const k = side[i]!;
    if (k < 0) add(records[next++]);
    else if (k & 1) repeat(k >> 1);
    else add(records[next++], k >> 1);
  }
}
