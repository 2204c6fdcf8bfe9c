import assert from "node:assert/strict";
import { listKey } from "../../../src/core/util/list_key.ts";

Deno.test("listKey(): one string is its own key; lists that differ have keys that differ, whatever they hold", () => {
  assert.equal(listKey(["arn:aws:s3:::a"]), "arn:aws:s3:::a");
  const strings = ["", "a", "b", "\u0000", "\n", "a\u0000b", "a\nb", "\u0000a", '["a"]', '"a","b"', "\u0000[]"];
  const lists: string[][] = [[]];
  for (const a of strings) {
    lists.push([a]);
    for (const b of strings) {
      lists.push([a, b]);
      for (const c of strings) lists.push([a, b, c]);
    }
  }
  const byKey = new Map<string, string[]>();
  for (const list of lists) {
    const seen = byKey.get(listKey(list));
    assert.ok(seen === undefined, `${JSON.stringify(list)} and ${JSON.stringify(seen)} share a key`);
    byKey.set(listKey(list), list);
  }
});
