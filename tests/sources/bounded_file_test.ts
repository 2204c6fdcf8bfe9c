import assert from "node:assert/strict";
import { readFileUpTo } from "../../src/sources/bounded_file.ts";

Deno.test("readFileUpTo() reads a file of up to the limit whole, and only the head of one past it", async () => {
  const path = await Deno.makeTempFile();
  try {
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    await Deno.writeFile(path, bytes);
    assert.deepEqual(readFileUpTo(path, 100_000), { over: false, bytes });
    assert.deepEqual(readFileUpTo(path, 99_999), { over: true, head: bytes.subarray(0, 2) });
    await Deno.writeFile(path, new Uint8Array());
    assert.deepEqual(readFileUpTo(path, 10), { over: false, bytes: new Uint8Array() });
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readFileUpTo(): a file that claims no size and never ends (/dev/zero) is read to one byte past the limit", () => {
  assert.equal(Deno.statSync("/dev/zero").size, 0);
  const read = readFileUpTo("/dev/zero", 3 << 20);
  assert.deepEqual(read, { over: true, head: new Uint8Array(2) });
});

Deno.test("readFileUpTo() throws what opening throws (a missing file)", () => {
  assert.throws(() => readFileUpTo("/nonexistent/trailscraper", 10), Deno.errors.NotFound);
});
