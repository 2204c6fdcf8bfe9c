import assert from "node:assert/strict";
import { mapConcurrent } from "../../src/sources/concurrent_map.ts";

/** A source that yields `ready` items at once, then waits for `release` before the rest (a slow listing page). */
function stallingSource(ready: number, total: number) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let returned = false;
  async function* items(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < total; i++) {
        if (i === ready) await released;
        yield i;
      }
    } finally {
      returned = true;
    }
  }
  return { items: items(), release, wasReturned: () => returned };
}

const within = <T>(p: Promise<T>, ms: number) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), ms));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
};

Deno.test("mapConcurrent: finished work is handed over while the source waits for its next item", async () => {
  const source = stallingSource(2, 5);
  const results = mapConcurrent(source.items, 4, (n) => Promise.resolve(n * 10));
  const first = await within(results.next(), 2000);
  assert.notEqual(first, "late", "a result waited for the source's next item");
  const second = await within(results.next(), 2000);
  assert.notEqual(second, "late");
  assert.deepEqual([first, second].map((r) => (r as IteratorResult<number>).value).sort(), [0, 10]);
  source.release();
  const rest: number[] = [];
  for await (const r of results) rest.push(r);
  assert.deepEqual(rest.sort((a, b) => a - b), [20, 30, 40]);
  assert.ok(source.wasReturned());
});

Deno.test("mapConcurrent: at most `limit` calls in flight; results in completion order; a rejection reaches the consumer", async () => {
  let inFlight = 0;
  let most = 0;
  async function* numbers() {
    for (let i = 0; i < 20; i++) yield i;
  }
  const work = async (n: number) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise((r) => setTimeout(r, (20 - n) % 5));
    inFlight--;
    return n;
  };
  const out: number[] = [];
  for await (const r of mapConcurrent(numbers(), 3, work)) out.push(r);
  assert.deepEqual(out.sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  assert.ok(most <= 3, `${most} in flight`);
  const failing = mapConcurrent(numbers(), 2, (n) => n === 3 ? Promise.reject(new Error("boom")) : Promise.resolve(n));
  await assert.rejects(async () => {
    for await (const _ of failing) { /* until the rejection */ }
  }, /boom/);
});

Deno.test("mapConcurrent: a consumer that stops early closes the source, even one waiting for its next item", async () => {
  const source = stallingSource(1, 5);
  const results = mapConcurrent(source.items, 4, (n) => Promise.resolve(n));
  for await (const _ of results) break;
  source.release(); // the listing's pending page ends; the source is closed after it
  for (let i = 0; i < 50 && !source.wasReturned(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(source.wasReturned());
});

Deno.test("mapConcurrent: work that rejects while the source waits reaches the consumer; the source closes after", async () => {
  const source = stallingSource(1, 5);
  const results = mapConcurrent(
    source.items,
    4,
    (n) => n === 0 ? Promise.reject(new Error("boom")) : Promise.resolve(n),
  );
  await assert.rejects(async () => {
    for await (const _ of results) { /* until the rejection */ }
  }, /boom/);
  source.release(); // the pending step ends; the source is closed after it, its item dropped
  for (let i = 0; i < 50 && !source.wasReturned(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(source.wasReturned());
});

Deno.test("mapConcurrent: a source that throws reaches the consumer; work rejecting after that is no unhandled rejection", async () => {
  let rejectLater: (e: Error) => void = () => {};
  async function* failing() {
    yield 1;
    yield 2;
    throw new Error("listing failed");
  }
  const work = (n: number) =>
    n === 1 ? new Promise<number>((_, reject) => rejectLater = reject) : Promise.resolve(n * 10);
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const r of mapConcurrent(failing(), 3, work)) seen.push(r);
  }, /listing failed/);
  assert.deepEqual(seen, [20]);
  rejectLater(new Error("late")); // Deno fails the test on an unhandled rejection
  await new Promise((r) => setTimeout(r, 20));
});
