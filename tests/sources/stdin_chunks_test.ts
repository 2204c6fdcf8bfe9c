import assert from "node:assert/strict";
import { StdinSplitter } from "../../src/sources/stdin_chunks.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A stream that hands out `parts` one per pull, then fails with `failure` (or ends). */
function stream(parts: string[], failure?: Error): ReadableStream<Uint8Array> {
  const queue = [...parts];
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next !== undefined) controller.enqueue(encoder.encode(next));
      else if (failure) controller.error(failure);
      else controller.close();
    },
  });
}

const record = (i: number) => `{"eventVersion":"1.08","eventName":"Get${i}"}`;

Deno.test("StdinSplitter: the reads it starts ahead hand out every byte once, in order", async () => {
  const text = `{"Records": [${Array.from({ length: 400 }, (_, i) => record(i)).join(", ")}]}\n`;
  // Parts of every size from 1 to 97 bytes: reads ahead of need must keep their order.
  const parts: string[] = [];
  for (let at = 0, size = 1; at < text.length; at += size, size = (size % 97) + 1) {
    parts.push(text.slice(at, at + size));
  }
  const splitter = new StdinSplitter(stream(parts));
  assert.equal(await splitter.start(64), "elements");
  let seen = decoder.decode(splitter.prefix);
  for (let chunk = await splitter.next(512); chunk; chunk = await splitter.next(512)) {
    seen += decoder.decode(chunk.bytes) + decoder.decode(chunk.gap);
  }
  const rest = splitter.rest();
  for await (const part of rest) seen += decoder.decode(part);
  assert.equal(seen, text);
});

Deno.test("StdinSplitter: a read started ahead that fails is an error for whoever reads next, never an unhandled one", async () => {
  const failure = new Error("input/output error");
  const splitter = new StdinSplitter(stream([`{"Records": [${record(1)}, `, `${record(2)}, ${record(3)}`], failure));
  assert.equal(await splitter.start(8), "elements");
  // The read after the first part has started, and the one after it fails: nothing asks for it yet.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await assert.rejects(async () => {
    for (let chunk = await splitter.next(1 << 20); chunk; chunk = await splitter.next(1 << 20));
  }, failure);
});

Deno.test("StdinSplitter: a failed read ahead that nobody asks for does not end the process", async () => {
  const splitter = new StdinSplitter(stream([`{"Records": [${record(1)}, ${record(2)}]}`], new Error("gone")));
  assert.equal(await splitter.start(8), "elements");
  // The caller stops here (another error, Ctrl-C): the read ahead fails with no one waiting on it.
  await new Promise((resolve) => setTimeout(resolve, 20));
});

/** A byte stream, as Deno's stdin is (read with BYOB reads), handing out `parts` one per pull; `pulls` counts them. */
function byteStream(parts: string[], seen: { pulls: number; cancelled: boolean }): ReadableStream<Uint8Array> {
  const queue = [...parts];
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      seen.pulls++;
      const next = queue.shift();
      if (next === undefined) {
        controller.close();
        return controller.byobRequest?.respond(0); // a byte source ends the pending BYOB read itself, as stdin's does
      }
      controller.enqueue(encoder.encode(next));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
}

Deno.test("StdinSplitter: on a byte stream, an input that changes shape mid-way is handed back by rest() once, in order", async () => {
  const elements = `{"Records": [${Array.from({ length: 300 }, (_, i) => record(i)).join(",\n  ")}, `;
  // After 300 records the input is no longer cut as it began: a nested opening, then text that is not JSON.
  const tail = `{"eventVersion":"1.08","nested":[{}, {"eventVersion":"x"}]}, ${record(300)}]} and some trailing text`;
  const lines = Array.from({ length: 300 }, (_, i) => record(i)).join("\n") + '\n{\n  "eventVersion": "1.08"\n}\n';
  for (const text of [elements + tail, lines, "{}", "", '  {"Records": []}']) {
    const parts: string[] = [];
    for (let at = 0, size = 3; at < text.length; at += size, size = (size * 7) % 1000 + 1) {
      parts.push(text.slice(at, at + size));
    }
    const seen = { pulls: 0, cancelled: false };
    const splitter = new StdinSplitter(byteStream(parts, seen));
    await splitter.start(64);
    let used = decoder.decode(splitter.prefix);
    const handedBack: Uint8Array[] = [];
    let chunks = 0;
    for (let chunk = await splitter.next(512); chunk; chunk = await splitter.next(512)) {
      const body = decoder.decode(chunk.bytes);
      if (body.includes("nested") || (body.includes("{\n") && splitter.mode === "lines")) {
        handedBack.push(chunk.bytes, chunk.gap); // did not parse as cut: streamed from here
        break;
      }
      used += body + decoder.decode(chunk.gap);
      chunks++;
    }
    let rest = "";
    for await (const part of splitter.rest(handedBack)) rest += decoder.decode(part);
    assert.equal(used + rest, text, JSON.stringify(text.slice(0, 40)));
    if (text.length > 1000) assert.ok(chunks > 3, `${chunks} chunks`);
    assert.equal(seen.cancelled, false);
  }
});

Deno.test("StdinSplitter: rest() cancelled while a read is ahead cancels the source and reads nothing more", async () => {
  const seen = { pulls: 0, cancelled: false };
  const text = `{"Records": [${Array.from({ length: 200 }, (_, i) => record(i)).join(", ")}]}`;
  const parts = Array.from({ length: Math.ceil(text.length / 100) }, (_, i) => text.slice(i * 100, i * 100 + 100));
  const splitter = new StdinSplitter(byteStream(parts, seen));
  assert.equal(await splitter.start(64), "elements");
  const first = await splitter.next(256);
  assert.ok(first);
  const reader = splitter.rest([first.bytes, first.gap]).getReader();
  assert.equal(decoder.decode((await reader.read()).value), decoder.decode(first.bytes));
  await reader.cancel("enough");
  const pulls = seen.pulls;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(seen.cancelled, true);
  assert.equal(seen.pulls, pulls, "no read after the cancel");
  assert.ok(pulls < parts.length, `${pulls} of ${parts.length} parts read`);
});

/** Synchronous reads of `text` in pieces of changing size (up to the buffer's), then a failure or the end. */
function syncReads(text: string, failure?: Error): { read: (buffer: Uint8Array) => number | null; calls: number } {
  const bytes = encoder.encode(text);
  let at = 0, size = 1;
  const state = {
    calls: 0,
    read(buffer: Uint8Array): number | null {
      state.calls++;
      if (at >= bytes.length) {
        if (failure) throw failure;
        return null;
      }
      const n = Math.min(size, buffer.length, bytes.length - at);
      buffer.set(bytes.subarray(at, at + n));
      at += n;
      size = (size * 7) % 5000 + 1;
      return n;
    },
  };
  return state;
}

Deno.test("StdinSplitter: with synchronous reads, the same chunks and rest as the stream gives; the stream is not read", async () => {
  const text = `{"Records": [${Array.from({ length: 400 }, (_, i) => record(i)).join(", ")}]}\n`;
  const untouched = new ReadableStream<Uint8Array>({ pull: () => assert.fail("the stream was read") });
  const reads = syncReads(text);
  const splitter = new StdinSplitter(untouched, reads.read);
  assert.equal(await splitter.start(64), "elements");
  let seen = decoder.decode(splitter.prefix);
  let chunks = 0;
  for (let chunk = await splitter.next(512); chunk; chunk = await splitter.next(512)) {
    seen += decoder.decode(chunk.bytes) + decoder.decode(chunk.gap);
    chunks++;
  }
  for await (const part of splitter.rest()) seen += decoder.decode(part);
  assert.equal(seen, text);
  assert.ok(chunks > 5 && reads.calls > 10, `${chunks} chunks, ${reads.calls} reads`);
});

Deno.test("StdinSplitter: a synchronous read that fails is an error for whoever reads next; cancel stops reading", async () => {
  const text = `{"Records": [${Array.from({ length: 50 }, (_, i) => record(i)).join(", ")}, `;
  const splitter = new StdinSplitter(new ReadableStream(), syncReads(text, new Error("gone")).read);
  await splitter.start(64);
  await assert.rejects(async () => {
    for (let chunk = await splitter.next(512); chunk; chunk = await splitter.next(512));
    for await (const _ of splitter.rest());
  }, /gone/);
  const reads = syncReads(text);
  const cancelled = new StdinSplitter(new ReadableStream(), reads.read);
  await cancelled.start(64);
  const reader = cancelled.rest().getReader();
  await reader.read();
  await reader.cancel("enough");
  const calls = reads.calls;
  assert.equal((await reader.read()).done, true);
  assert.equal(reads.calls, calls, "no read after the cancel");
});
