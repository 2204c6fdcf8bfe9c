/** Streams selected records to stdout as `{"Records": [...]}` or JSON Lines, in one place. */
import type { TextSink } from "./io.ts";
import { RECORD_SEPARATORS, type RecordFormat } from "../output/record_format.ts";

const encoder = new TextEncoder();

/**
 * Writes batches of records with the right separators inside `{"Records": [...]}`
 * (or as JSON Lines). The opening is written with the first batch or at the end, so
 * a run that fails before any output leaves stdout empty. Writes are chained, so
 * batches from concurrent sources never interleave.
 */
export class RecordsWriter {
  #count = 0;
  #opened = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #separator: string;

  constructor(private readonly out: TextSink, private readonly format: RecordFormat) {
    this.#separator = RECORD_SEPARATORS[format];
  }

  /** Records written so far. */
  get count(): number {
    return this.#count;
  }

  /** Queues chunks to be written together, after everything queued before. */
  #write(...chunks: Uint8Array[]): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      for (const chunk of chunks) if (chunk.length > 0) await this.out.writeBytes(chunk);
    });
    return this.#queue;
  }

  /** The opening `{"Records": [` (nothing for JSON Lines), once. */
  #opening(): Uint8Array {
    if (this.#opened || this.format !== "json") return new Uint8Array();
    this.#opened = true;
    return encoder.encode('{"Records": [');
  }

  /** A batch already joined with the separator and encoded (what the workers send); resolves once written. */
  addEncoded(bytes: Uint8Array, count: number): Promise<void> {
    if (count === 0) return this.#queue;
    const lead = this.#count > 0 ? encoder.encode(this.#separator) : this.#opening();
    this.#count += count;
    return this.#write(lead, bytes);
  }

  /** A batch of serialised records. */
  add(records: string[]): Promise<void> {
    return this.addEncoded(encoder.encode(records.join(this.#separator)), records.length);
  }

  /** The closing `]}` and newline (a newline after the last JSON line). */
  end(): Promise<void> {
    const tail = this.format === "json" ? "]}\n" : this.#count > 0 ? "\n" : "";
    return this.#write(this.#opening(), encoder.encode(tail));
  }
}
