/** The sync lock file: never followed when a symlink stands in its place (a shared folder's classic attack). */
import assert from "node:assert/strict";
import { join } from "node:path";
import { eventsLockPathOf, lockPathOf, SyncLock } from "../../src/state/sync_lock.ts";

Deno.test("SyncLock.acquire() refuses a symlink in the lock's place and leaves its target untouched", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const stateDb = join(dir, "state.db");
    const victim = join(dir, "victim.txt");
    await Deno.writeTextFile(victim, "precious\n");
    await Deno.symlink(victim, lockPathOf(stateDb));
    await assert.rejects(() => SyncLock.acquire(stateDb), /is a symbolic link: refusing to follow it/);
    assert.equal(await Deno.readTextFile(victim), "precious\n");
    // A dangling link is refused too, and creates nothing where it points.
    await Deno.remove(lockPathOf(stateDb));
    await Deno.symlink(join(dir, "created-by-lock"), lockPathOf(stateDb));
    await assert.rejects(() => SyncLock.acquire(stateDb), /symbolic link/);
    await assert.rejects(() => Deno.lstat(join(dir, "created-by-lock")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SyncLock.acquire() takes a plain lock file, writes its pid, and release() removes it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const stateDb = join(dir, "state.db");
    const lock = await SyncLock.acquire(stateDb);
    assert.equal(await Deno.readTextFile(lockPathOf(stateDb)), `${Deno.pid}\n`);
    await lock.release();
    await assert.rejects(() => Deno.lstat(lockPathOf(stateDb)), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SyncLock.acquireEventsDir() makes the folder, locks a file inside it, and refuses a symlink there", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const events = join(dir, "a", "events");
    const lock = await SyncLock.acquireEventsDir(events);
    assert.equal(await Deno.readTextFile(eventsLockPathOf(events)), `${Deno.pid}\n`);
    await lock.release();
    await assert.rejects(() => Deno.lstat(eventsLockPathOf(events)), Deno.errors.NotFound);
    const victim = join(dir, "victim.txt");
    await Deno.writeTextFile(victim, "precious\n");
    await Deno.symlink(victim, eventsLockPathOf(events));
    await assert.rejects(() => SyncLock.acquireEventsDir(events), /is a symbolic link: refusing to follow it/);
    assert.equal(await Deno.readTextFile(victim), "precious\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
