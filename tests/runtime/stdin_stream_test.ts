import assert from "node:assert/strict";
import { InputError } from "../../src/runtime/errors.ts";
import { stdinStream } from "../../src/runtime/stdin_stream.ts";

/** A byte stream like Deno.stdin.readable: BYOB reads fill the caller's buffer. */
function byteSource(chunks: Uint8Array[], failWith?: Error): ReadableStream<Uint8Array> {
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      const next = chunks.shift();
      if (!next && failWith) return controller.error(failWith);
      if (!next) {
        controller.close();
        return controller.byobRequest?.respond(0); // a pending BYOB read ends with the close
      }
      const request = controller.byobRequest;
      if (!request?.view) return controller.enqueue(next);
      const view = new Uint8Array(request.view.buffer, request.view.byteOffset, request.view.byteLength);
      const n = Math.min(view.length, next.length);
      view.set(next.subarray(0, n));
      if (n < next.length) chunks.unshift(next.subarray(n));
      request.respond(n);
    },
  });
}

Deno.test("stdinStream() keeps BYOB reads (the splitter's 256 KiB reads) and passes every byte through", async () => {
  const data = new Uint8Array(300_000).map((_, i) => i % 251);
  const reader = stdinStream(byteSource([data.slice(0, 100_000), data.slice(100_000)])).getReader({ mode: "byob" });
  const got = new Uint8Array(data.length);
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read(new Uint8Array(256 << 10));
    if (done) break;
    got.set(value, at);
    at += value.length;
  }
  assert.equal(at, data.length);
  assert.deepEqual(got, data);
});

Deno.test("stdinStream() turns a failing read (stdin is a directory) into an InputError naming stdin", async () => {
  const reader = stdinStream(byteSource([new Uint8Array([1])], new Deno.errors.IsADirectory("Is a directory")))
    .getReader();
  assert.deepEqual((await reader.read()).value, new Uint8Array([1]));
  await assert.rejects(
    reader.read(),
    (e) => e instanceof InputError && e.message === "cannot read stdin: it is a directory",
  );
});
