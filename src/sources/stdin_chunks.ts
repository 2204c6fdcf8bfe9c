/**
 * Stdin cut into chunks at likely record boundaries, for bulk parsing on the step
 * pool (`core/records/bulk_records.ts`): after `{"Records": [`, a chunk ends at `}` + `,` +
 * the opening of the first element up to its first key (`{"eventVersion"`, as the
 * input writes it); in JSON Lines, at a line end. The cut is only a guess until the chunk
 * parses; the bytes from a chunk that did not parse on are read again, streamed, by
 * {@link StdinSplitter.rest}.
 */
import type { ChunkMode } from "../core/records/bulk_records.ts";
import { isObject } from "../core/util/data_table.ts";

const RECORDS_START = /^\uFEFF?[ \t\r\n]*\{[ \t\r\n]*"Records"[ \t\r\n]*:[ \t\r\n]*\[/;
/** The opening of the first element up to its first key: `{"eventVersion"`. */
const FIRST_KEY = /^[ \t\r\n]*(\{[ \t\r\n]*"[A-Za-z0-9_]+")/;
const HEAD_BYTES = 4096;
/** Give up cutting when this much input holds no boundary (one huge record): the rest is streamed. */
const MAX_UNCUT = 64 << 20;

/** Bytes per read of a byte stream: Deno's stdin reads 64 KiB by default, 4x the system calls and hand-offs. */
const READ_BYTES = 256 << 10;

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** One chunk and the bytes between it and the next (the `,` between elements). */
export interface Chunk {
  bytes: Uint8Array;
  gap: Uint8Array;
}

/** Reads a byte stream and hands it out in chunks that end at likely record boundaries. */
export class StdinSplitter {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader;
  #parts: Uint8Array[] = [];
  #size = 0;
  #ended = false;
  /** The read started ahead of need (see {@link #read}). */
  #ahead: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  #cancelled = false;
  /** The shape found by {@link start}: undefined means no bulk parsing (all of it goes through {@link rest}). */
  mode: ChunkMode | undefined;
  /** What {@link start} consumed before the first chunk (`{"Records": [`). */
  prefix: Uint8Array = new Uint8Array();
  /** How each element begins (elements mode). */
  #opening: Uint8Array = new Uint8Array();

  /** Synchronous reads of the same input, used instead of the stream's when given (see `Io.readStdinSync`). */
  readonly #readSync: ((buffer: Uint8Array) => number | null) | undefined;

  constructor(stream: ReadableStream<Uint8Array>, readSync?: (buffer: Uint8Array) => number | null) {
    this.#readSync = readSync;
    // Larger reads where the stream allows it (Deno's stdin does).
    try {
      this.#reader = stream.getReader({ mode: "byob" });
    } catch {
      this.#reader = stream.getReader();
    }
  }

  /**
   * The next read of the stream, and the one after it asked for at once. (Deno starts an asynchronous read of stdin
   * only when this thread next waits, so this overlaps little; where stdin can be read synchronously, it is: see
   * {@link #readNow}.)
   */
  #read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    if (this.#readSync) return this.#readNow(this.#readSync);
    const next = this.#ahead ?? this.#start();
    this.#ahead = undefined;
    void next.then((r) => {
      if (r.done || this.#cancelled) return;
      this.#ahead = this.#start();
      this.#ahead.catch(() => {}); // a failed read nobody asks for again is not an unhandled rejection
    }, () => {});
    return next;
  }

  /** One synchronous read, as a read result. */
  #readNow(readSync: (buffer: Uint8Array) => number | null): Promise<ReadableStreamReadResult<Uint8Array>> {
    const end: ReadableStreamReadDoneResult<Uint8Array> = { done: true };
    if (this.#cancelled) return Promise.resolve(end);
    try {
      const buffer = new Uint8Array(READ_BYTES);
      const n = readSync(buffer);
      return Promise.resolve(n === null ? end : { done: false, value: buffer.subarray(0, n) });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #start(): Promise<ReadableStreamReadResult<Uint8Array>> {
    const reader = this.#reader;
    if (reader instanceof ReadableStreamDefaultReader) return reader.read();
    return reader.read(new Uint8Array(READ_BYTES));
  }

  /** True once the stream has ended (what is left is in memory). */
  get ended(): boolean {
    return this.#ended;
  }

  async #fill(size: number): Promise<void> {
    while (!this.#ended && this.#size < size) {
      const { done, value } = await this.#read();
      if (done) this.#ended = true;
      else if (value.length > 0) {
        this.#parts.push(value);
        this.#size += value.length;
      }
    }
  }

  /** The buffered bytes as one array. */
  #buffer(): Uint8Array {
    if (this.#parts.length === 1) return this.#parts[0]!;
    const joined = new Uint8Array(this.#size);
    let at = 0;
    for (const part of this.#parts) {
      joined.set(part, at);
      at += part.length;
    }
    this.#parts = [joined];
    return joined;
  }

  #keep(rest: Uint8Array): void {
    this.#parts = rest.length > 0 ? [rest] : [];
    this.#size = rest.length;
  }

  /** Reads the start of the input (at least `minBytes` of it, when there is that much) and finds its shape. */
  async start(minBytes: number): Promise<ChunkMode | undefined> {
    await this.#fill(minBytes);
    const buffer = this.#buffer();
    // The BOM kept, so that the prefix RECORDS_START matches is as long in bytes as in the input.
    const head = new TextDecoder("utf-8", { ignoreBOM: true }).decode(buffer.subarray(0, HEAD_BYTES));
    const records = RECORDS_START.exec(head);
    const opening = records ? FIRST_KEY.exec(head.slice(records[0].length)) : null;
    if (records && opening) {
      const length = new TextEncoder().encode(records[0]).length;
      this.prefix = buffer.slice(0, length);
      this.#opening = new TextEncoder().encode(opening[1]!);
      this.#keep(buffer.subarray(length));
      return this.mode = "elements";
    }
    const firstLine = buffer.indexOf(0x0a);
    if (firstLine > 0 && head.trimStart().startsWith("{")) {
      try {
        const value: unknown = JSON.parse(new TextDecoder().decode(buffer.subarray(0, firstLine)));
        if (isObject(value)) return this.mode = "lines";
      } catch {
        // Not JSON Lines: streamed.
      }
    }
    return undefined;
  }

  /** Where a chunk of `buffer` may end: [end of chunk, start of the next]; undefined when nowhere. */
  #cut(buffer: Uint8Array): [number, number] | undefined {
    if (this.mode === "lines") {
      const nl = buffer.lastIndexOf(0x0a);
      return nl === -1 ? undefined : [nl + 1, nl + 1];
    }
    for (let at = this.#lastOpening(buffer, buffer.length); at > 0; at = this.#lastOpening(buffer, at - 1)) {
      let comma = at - 1;
      while (isSpace(buffer[comma])) comma--;
      if (buffer[comma] !== 0x2c) continue;
      let brace = comma - 1;
      while (isSpace(buffer[brace])) brace--;
      if (buffer[brace] === 0x7d) return [brace + 1, comma + 1];
    }
    return undefined;
  }

  /** The last index at or before `from` where the element opening starts, or -1. */
  #lastOpening(buffer: Uint8Array, from: number): number {
    const opening = this.#opening;
    for (let at = buffer.lastIndexOf(opening[0]!, from); at !== -1; at = buffer.lastIndexOf(opening[0]!, at - 1)) {
      let i = 1;
      while (i < opening.length && buffer[at + i] === opening[i]) i++;
      if (i === opening.length) return at;
      if (at === 0) break;
    }
    return -1;
  }

  /** The next chunk of about `size` bytes or more; undefined when no more can be cut (see {@link rest}). */
  async next(size: number): Promise<Chunk | undefined> {
    if (this.mode === undefined) return undefined;
    let want = size;
    for (;;) {
      await this.#fill(want);
      const buffer = this.#buffer();
      const cut = buffer.length === 0 ? undefined : this.#cut(buffer);
      if (cut) {
        const [end, next] = cut;
        // Views, not copies: the buffer is never written to again.
        const chunk = { bytes: buffer.subarray(0, end), gap: buffer.subarray(end, next) };
        this.#keep(buffer.subarray(next));
        return chunk;
      }
      if (this.#ended || this.#size >= MAX_UNCUT) return undefined;
      want = this.#size * 2;
    }
  }

  /** `handedBack` (bytes handed out but not used, in order), the bytes not handed out yet, then the rest of the stream. */
  rest(handedBack: Uint8Array[] = []): ReadableStream<Uint8Array> {
    const buffered = [...handedBack, ...this.#parts];
    this.#parts = [];
    this.#size = 0;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const next = buffered.shift();
        if (next) return controller.enqueue(next);
        const { done, value } = await this.#read();
        if (done) controller.close();
        else if (value) controller.enqueue(value);
      },
      cancel: (reason) => {
        this.#cancelled = true;
        return this.#readSync ? undefined : this.#reader.cancel(reason);
      },
    });
  }
}
