import assert from "node:assert/strict";
import { mapOrdered } from "../../src/sources/ordered_map.ts";
import { Semaphore } from "../../src/sources/semaphore.ts";

async function* numbers(n: number) {
  for (let i = 0; i < n; i++) yield i;
}

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("mapOrdered() yields in input order with at most `limit` calls in flight", async () => {
  let running = 0;
  let most = 0;
  const out: number[] = [];
  for await (
    const r of mapOrdered(numbers(30), 4, async (i) => {
      most = Math.max(most, ++running);
      await later((30 - i) % 7); // later items often finish first
      running--;
      return i * 2;
    })
  ) out.push(r);
  assert.deepEqual(out, Array.from({ length: 30 }, (_, i) => i * 2));
  assert.ok(most <= 4, `${most} in flight`);
});

Deno.test("mapOrdered() throws a rejection when its turn comes, and none counts as unhandled before", async () => {
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (
      const r of mapOrdered(numbers(5), 3, async (i) => {
        if (i === 2) throw new Error("two");
        await later(5);
        return i;
      })
    ) seen.push(r);
  }, /two/);
  assert.deepEqual(seen, [0, 1]);
});

Deno.test("Semaphore bounds the calls at once and frees a slot when a call fails", async () => {
  const gate = new Semaphore(2);
  let running = 0;
  let most = 0;
  const work = (fail: boolean) =>
    gate.run(async () => {
      most = Math.max(most, ++running);
      await later(3);
      running--;
      if (fail) throw new Error("x");
      return 1;
    });
  const results = await Promise.allSettled(Array.from({ length: 9 }, (_, i) => work(i % 3 === 0)));
  assert.equal(results.filter((r) => r.status === "fulfilled").length, 6);
  assert.equal(most, 2);
});
