import assert from "node:assert/strict";
import { join } from "node:path";
import { Archive } from "../../src/state/archive.ts";
import { StateMismatch, SyncState } from "../../src/state/sync_state.ts";

const encoder = new TextEncoder();

Deno.test("SyncState: claimed keys stay claimed after a commit, are free again after a rollback, per partition", async () => {
  const dir = await Deno.makeTempDir();
  const state = SyncState.open(join(dir, "s.db"), { eventsDir: dir, trails: ["s3://b/"] });
  state.preparePartition("p1");
  state.preparePartition("p2");
  await state.transaction(() =>
    Promise.resolve(assert.deepEqual(state.claimKeys("p1", ["a", "b", "a"]), [true, true, false]))
  );
  await assert.rejects(state.transaction(() => {
    assert.deepEqual(state.claimKeys("p1", ["a", "c"]), [false, true]);
    return Promise.reject(new Error("disk full"));
  }));
  await state.transaction(() => {
    assert.deepEqual(state.claimKeys("p1", ["c"]), [true]);
    assert.deepEqual(state.claimKeys("p2", ["a"]), [true]); // another partition
    return Promise.resolve();
  });
  const many = Array.from({ length: 4500 }, (_, i) => `k${i}`);
  await state.transaction(() => Promise.resolve(assert.ok(state.claimKeys("p2", many).every((x) => x))));
  await state.transaction(() => Promise.resolve(assert.ok(state.claimKeys("p2", many).every((x) => !x))));
  state.close();
  assert.throws(() => SyncState.open(join(dir, "s.db"), { eventsDir: dir, trails: ["s3://other/"] }), StateMismatch);
});

Deno.test("Archive: a crash after the append and before the commit is cut back on the next start", async () => {
  const dir = await Deno.makeTempDir();
  const state = SyncState.open(join(dir, "s.db"), { eventsDir: dir, trails: ["s3://b/"] });
  const archive = new Archive(dir, { eventsPerFile: 2, gzip: false }, state);
  const line = (s: string) => encoder.encode(s + "\n");
  await archive.prepare(new Map([["p", 3]]));
  const rows = await state.transaction(async () => {
    const rows = await archive.append([{ partition: "p", lines: [line("1"), line("2"), line("3")] }]);
    state.record({ done: [], failed: [], outputs: rows, cursors: [] });
    return rows;
  });
  archive.committed(rows);
  // The next batch is written but its commit never happens (a kill -9).
  await archive.prepare(new Map([["p", 2]]));
  await archive.append([{ partition: "p", lines: [line("4"), line("5")] }]);
  assert.equal(await Deno.readTextFile(join(dir, "p/part-1.jsonl")), "3\n4\n");
  assert.equal(await Deno.readTextFile(join(dir, "p/part-2.jsonl")), "5\n");
  const recovery = await new Archive(dir, { eventsPerFile: 2, gzip: false }, state).recover();
  assert.deepEqual(recovery, { truncated: [join(dir, "p/part-1.jsonl"), join(dir, "p/part-2.jsonl")], damaged: [] });
  assert.equal(await Deno.readTextFile(join(dir, "p/part-0.jsonl")), "1\n2\n");
  assert.equal(await Deno.readTextFile(join(dir, "p/part-1.jsonl")), "3\n");
  await assert.rejects(Deno.stat(join(dir, "p/part-2.jsonl")), Deno.errors.NotFound);
  state.close();
});
