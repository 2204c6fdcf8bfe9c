/**
 * Records from a byte stream (stdin): `{"Records": [...]}` documents and JSON Lines,
 * in any mix, parsed as a stream so inputs larger than memory work. Yields one batch
 * per chunk read; a syntax error is thrown as a JsonStreamError with its position.
 */
import { RecordStreamParser, type ResumePoint } from "../core/records/record_stream_parser.ts";

/** Options of {@link streamRecords}. */
export interface StreamRecordsOptions {
  signal?: AbortSignal;
  /** Start inside the input, where bulk parsing stopped (positions in errors stay those of the whole input). */
  resume?: ResumePoint | undefined;
}

/** Yields the raw records of `stream` in batches, in input order. */
export async function* streamRecords(
  stream: ReadableStream<Uint8Array>,
  options: StreamRecordsOptions = {},
): AsyncGenerator<unknown[]> {
  const parser = new RecordStreamParser(options.resume);
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    if (options.signal?.aborted) return;
    const batch = parser.push(chunk);
    if (batch.length > 0) yield batch;
  }
  const last = parser.end();
  if (last.length > 0) yield last;
}
