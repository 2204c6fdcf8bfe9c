import assert from "node:assert/strict";
import { BoundedCache } from "../../../src/core/util/bounded_cache.ts";
import { ByteLines } from "../../../src/core/util/byte_lines.ts";
import { idFromEdges } from "../../../src/core/mcp/jsonrpc_errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function feed(max: number, chunks: string[]) {
  const lines = new ByteLines(max);
  const out = [...chunks.flatMap((c) => lines.push(encoder.encode(c))), ...lines.end()];
  return out.map((l) =>
    l.kind === "line" ? decoder.decode(l.bytes) : `<${l.length}:${decoder.decode(l.head)}|${decoder.decode(l.tail)}>`
  );
}

Deno.test("ByteLines cuts lines across chunks, drops a \\r before \\n, and keeps a last line without \\n", () => {
  assert.deepEqual(feed(10, ["ab", "c\nde\r", "\n\nf"]), ["abc", "de", "", "f"]);
  assert.deepEqual(feed(10, ["abc\n"]), ["abc"]);
  assert.deepEqual(feed(3, ["abc\r\n"]), ["abc"]);
});

Deno.test("ByteLines reports a line over the limit by its length and edges, and reads on", () => {
  assert.deepEqual(feed(3, ["ab", "cd", "ef\nok\n"]), ["<6:abcdef|abcdef>", "ok"]);
  const long = "x".repeat(5000) + "y".repeat(5000);
  const [oversized, next] = new ByteLines(100).push(encoder.encode(long + "\nnext\n"));
  assert.ok(oversized?.kind === "oversized");
  assert.equal(oversized.length, 10_000);
  assert.equal(decoder.decode(oversized.head), "x".repeat(4096));
  assert.equal(decoder.decode(oversized.tail), "y".repeat(4096));
  assert.deepEqual(next?.kind === "line" && decoder.decode(next.bytes), "next");
});

Deno.test("idFromEdges() finds a top-level id first or last, never a nested one", () => {
  assert.equal(idFromEdges('{"jsonrpc":"2.0","id":7,"method":"x","params":{"a":', "}"), 7);
  assert.equal(idFromEdges('{"method":"x","params":{', '"]}},"jsonrpc":"2.0","id":"a\\"b"}'), 'a"b');
  assert.equal(idFromEdges('{"method":"x","params":{', '{"id":3}}}'), undefined);
  assert.equal(idFromEdges('{"params":{"id":3', "]}"), undefined);
});

Deno.test("BoundedCache keeps at most max entries, dropping the least recently used", () => {
  const cache = new BoundedCache<string, number>(2);
  let made = 0;
  const make = () => ++made;
  assert.equal(cache.get("a", make), 1);
  assert.equal(cache.get("b", make), 2);
  assert.equal(cache.get("a", make), 1); // a is now the most recent
  assert.equal(cache.get("c", make), 3); // drops b
  assert.equal(cache.size, 2);
  assert.equal(cache.get("a", make), 1);
  assert.equal(cache.get("b", make), 4);
});
