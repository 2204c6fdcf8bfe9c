/**
 * Cuts a byte stream into lines of at most `maxBytes` (without the `\n`; a `\r` before
 * it is dropped). A longer line is not kept: it comes out as `oversized`, with its length
 * and its first and last bytes, so its reader can still say which message it was.
 */

/** A line, or what is left of one that was too long. */
export type ByteLine =
  | { kind: "line"; bytes: Uint8Array }
  | { kind: "oversized"; length: number; head: Uint8Array; tail: Uint8Array };

/** Bytes of an oversized line's start and end that are kept. */
const EDGE = 4096;
const NEWLINE = 0x0a;

/** A stateful splitter: feed it chunks, get the lines they complete. */
export class ByteLines {
  #parts: Uint8Array[] = [];
  #length = 0;
  #head: Uint8Array | undefined;
  #tail: Uint8Array = new Uint8Array();

  constructor(readonly maxBytes: number) {}

  /** The lines `chunk` completes, in order. */
  push(chunk: Uint8Array): ByteLine[] {
    const out: ByteLine[] = [];
    let start = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, start)) {
      this.#add(chunk.subarray(start, at));
      out.push(this.#take());
      start = at + 1;
    }
    this.#add(chunk.subarray(start));
    return out;
  }

  /** The last line when the stream ends without a newline (none when it ended on one). */
  end(): ByteLine[] {
    return this.#length > 0 || this.#head ? [this.#take()] : [];
  }

  #add(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#length += bytes.length;
    if (this.#head) return this.#keepTail(bytes);
    if (this.#length <= this.maxBytes + 1) { // + 1: room for a `\r`
      this.#parts.push(bytes.slice());
      return;
    }
    const all = concat([...this.#parts, bytes]);
    this.#parts = [];
    this.#head = all.slice(0, EDGE);
    this.#tail = new Uint8Array();
    this.#keepTail(all);
  }

  #keepTail(bytes: Uint8Array): void {
    this.#tail = concat([this.#tail, bytes.subarray(Math.max(0, bytes.length - EDGE))]);
    if (this.#tail.length > EDGE) this.#tail = this.#tail.slice(this.#tail.length - EDGE);
  }

  #take(): ByteLine {
    const length = this.#length;
    const head = this.#head;
    const line = head ? undefined : concat(this.#parts);
    this.#parts = [];
    this.#length = 0;
    this.#head = undefined;
    if (line) {
      const bytes = line.at(-1) === 0x0d ? line.subarray(0, -1) : line;
      if (bytes.length <= this.maxBytes) return { kind: "line", bytes };
      return { kind: "oversized", length: bytes.length, head: bytes.slice(0, EDGE), tail: bytes.slice(-EDGE) };
    }
    return { kind: "oversized", length, head: head!, tail: this.#tail };
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
