/** The process's stdin as a byte stream whose read failures are input errors, not bugs. */
import { InputError } from "./errors.ts";

/** Why stdin cannot be read, in words: `< /` gives "it is a directory" (no core import: io loads at startup). */
function why(error: unknown): string {
  return error instanceof Deno.errors.IsADirectory
    ? "it is a directory"
    : error instanceof Error
    ? error.message
    : String(error);
}

/**
 * `source` (Deno.stdin.readable) read lazily, a read that fails (stdin redirected from a directory, an I/O error)
 * ending the stream with `InputError("cannot read stdin: ...")`: one line and exit 1, never an unexpected failure.
 */
export function stdinStream(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      reader ??= source.getReader();
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        controller.error(new InputError(`cannot read stdin: ${why(e)}`, { cause: e }));
      }
    },
    cancel: (reason) => reader?.cancel(reason) ?? source.cancel(reason),
  });
}
