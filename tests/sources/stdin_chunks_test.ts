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
