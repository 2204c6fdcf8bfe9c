/** The process's stdin as a byte stream whose read failures are input errors, not bugs. */
import { InputError } from "./errors.ts";

/** Why stdin cannot be read, in words: `< /` gives "it is a directory" (no core import: io loads at startup). */
function why(error: unknown): string {
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  return error instanceof Error ? error.message : String(error);
}

/** Bytes per read when the reader brings no buffer of its own. */
const READ_BYTES = 64 << 10;

/**
 * `source` (Deno.stdin.readable, a byte stream) read lazily, a read that fails (stdin redirected from a directory, an
 * I/O error) ending the stream with `InputError("cannot read stdin: ...")`: one line and exit 1, never an unexpected
 * failure. A byte stream itself, so a reader's BYOB reads (the splitter's 256 KiB) reach the source as they are.
 */
export function stdinStream(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let reader: ReadableStreamBYOBReader | undefined;
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: READ_BYTES,
    async pull(controller) {
      reader ??= source.getReader({ mode: "byob" });
      const request = controller.byobRequest!; // always there: autoAllocateChunkSize
      const view = request.view!;
      try {
        const { done, value } = await reader.read(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
        if (done) controller.close();
        // The request's buffer went to the source's read: answer with the view it came back in (empty at the end).
        if (value) request.respondWithNewView(value);
      } catch (e) {
        controller.error(new InputError(`cannot read stdin: ${why(e)}`, { cause: e }));
      }
    },
    cancel: (reason) => reader ? reader.cancel(reason) : source.cancel(reason),
  });
}

/**
 * Reads stdin synchronously into `buffer`: the byte count, or null at its end; a failing read is an
 * `InputError("cannot read stdin: ...")`, as in {@link stdinStream}. An asynchronous read of Deno's stdin starts only
 * when the thread next waits (its operation is polled by the event loop), so a read ahead of need never runs beside the
 * parse: at a million records, `generate` waited ~0.6-1 s on reads. A synchronous read costs the copy alone.
 */
export function readStdinSync(buffer: Uint8Array): number | null {
  try {
    return Deno.stdin.readSync(buffer);
  } catch (e) {
    throw new InputError(`cannot read stdin: ${why(e)}`, { cause: e });
  }
}
