import assert from "node:assert/strict";
import { LineTransport } from "../../src/commands/mcp_transport.ts";

function streamOf(lines: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const line of lines) controller.enqueue(encoder.encode(line));
      controller.close();
    },
  });
}

Deno.test("LineTransport: a line whose handling throws costs that line only; the answer goes to its id", async () => {
  let written = "";
  const sink = { write: (t: string) => Promise.resolve(void (written += t)), writeBytes: () => Promise.resolve() };
  const transport = new LineTransport(
    streamOf(['{"jsonrpc":"2.0","id":7,"method":"boom"}\n', '{"jsonrpc":"2.0","method":"ok"}\n']),
    sink,
    {
      maxMessageBytes: 1024,
      isMessage: (value) => {
        if ((value as { method?: string }).method === "boom") throw new RangeError("Maximum call stack size exceeded");
        return true;
      },
    },
  );
  const received: unknown[] = [];
  transport.onmessage = (message) => void received.push(message);
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await transport.start();
  await closed;
  assert.deepEqual(received, [{ jsonrpc: "2.0", method: "ok" }]);
  assert.deepEqual(JSON.parse(written), {
    jsonrpc: "2.0",
    id: 7,
    error: { code: -32603, message: "Internal error: Maximum call stack size exceeded" },
  });
});

Deno.test("LineTransport: a write that fails (the client is gone) closes the transport, no unhandled rejection", async () => {
  const sink = { write: () => Promise.reject(new Error("Broken pipe")), writeBytes: () => Promise.resolve() };
  const transport = new LineTransport(streamOf(["not json\n"]), sink, { maxMessageBytes: 1024, isMessage: () => true });
  const errors: string[] = [];
  transport.onerror = (e) => void errors.push(e.message);
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await transport.start();
  await closed;
  assert.deepEqual(errors, ["Broken pipe"]);
});

Deno.test("LineTransport: two requests with one id, then the end of input: both are answered before it closes", async () => {
  let written = "";
  const sink = { write: (t: string) => Promise.resolve(void (written += t)), writeBytes: () => Promise.resolve() };
  const transport = new LineTransport(
    streamOf(['{"jsonrpc":"2.0","id":1,"method":"slow"}\n', '{"jsonrpc":"2.0","id":1,"method":"fast"}\n']),
    sink,
    { maxMessageBytes: 1024, isMessage: () => true },
  );
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  let fastWritten = () => {};
  const slowAnswered = new Promise<void>((resolve) => (fastWritten = resolve)).then(() => reply("slow"));
  const reply = (result: string) => transport.send({ jsonrpc: "2.0", id: 1, result: { result } } as never);
  // The slow request is answered only once the fast one's answer is written (no timer).
  transport.onmessage = (message) => {
    if ((message as { method: string }).method === "fast") void reply("fast").then(() => fastWritten());
  };
  await transport.start();
  await closed;
  await slowAnswered;
  // Before, the fast answer emptied the set of ids waiting, and the slow one went nowhere.
  assert.deepEqual(written.trim().split("\n").map((l) => JSON.parse(l).result.result), ["fast", "slow"]);
});
