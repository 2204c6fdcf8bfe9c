/** Golden files: `UPDATE_SNAPSHOTS=1 deno task test` rewrites them after a deliberate change (review the diff). */
import assert from "node:assert/strict";

/** Asserts that `actual` is the content of `file` (or writes it there when updating snapshots). */
export async function assertSnapshot(actual: string, file: URL, what: string): Promise<void> {
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") await Deno.writeTextFile(file, actual);
  assert.equal(actual, await Deno.readTextFile(file), `${what} changed; UPDATE_SNAPSHOTS=1 rewrites it`);
}
