import assert from "node:assert/strict";
import { mapConcurrent } from "../../src/sources/concurrent_map.ts";

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
