import assert from "node:assert/strict";
import { InputKeyedCache } from "../../../src/core/util/input_keyed_cache.ts";

Deno.test("InputKeyedCache: makes a value once per key, undefined included; emptied when full", () => {
  const cache = new InputKeyedCache<number | undefined>(3);
  let made = 0;
  const make = (key: string) => (made++, key === "none" ? undefined : key.length);
  assert.equal(cache.get("a", make), 1);
  assert.equal(cache.get("a", make), 1);
  assert.equal(cache.get("none", make), undefined);
  assert.equal(cache.get("none", make), undefined);
  assert.equal(made, 2, "a held undefined is not made again");
  cache.get("ccc", make);
  assert.deepEqual(cache.held, { entries: 3, chars: 8 });
  cache.get("dddd", make); // the fourth: emptied first
  assert.deepEqual(cache.held, { entries: 1, chars: 4 });
});

Deno.test("InputKeyedCache: a key longer than the limit is answered every time, never kept", () => {
  const cache = new InputKeyedCache<string>(10, 8);
  let made = 0;
  const long = "x".repeat(1_000_000);
  for (let i = 0; i < 3; i++) assert.equal(cache.get(long, (k) => (made++, k.slice(0, 2))), "xx");
  assert.equal(made, 3);
  assert.deepEqual(cache.held, { entries: 0, chars: 0 });
  assert.equal(cache.get("12345678", () => "kept"), "kept");
  assert.deepEqual(cache.held, { entries: 1, chars: 8 });
});
