/** `rebuildState()` stopped part-way: its rebuild file marks the rebuild as unfinished until one ends. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { rebuildPathOf, rebuildState } from "../../src/state/state_rebuild.ts";
import { SyncState } from "../../src/state/sync_state.ts";

const PART = "account=111122223333/region=eu-west-1/date=2024-03-01/part-0.jsonl.gz";

/** An archive with one gzip part cut inside its second member, and a state DB path beside it. */
async function cutArchive(): Promise<
  { dir: string; stateDb: string; identity: { eventsDir: string; trails: string[] } }
> {
  const dir = await Deno.makeTempDir();
  const events = join(dir, "events");
  await Deno.mkdir(join(events, PART, ".."), { recursive: true });
  const text = (tag: string) =>
    Array.from({ length: 500 }, (_, i) => JSON.stringify({ eventID: `${tag}-${i}`, pad: crypto.randomUUID() }) + "\n")
      .join("");
  const [first, second] = [
    gzipSync(new TextEncoder().encode(text("a"))),
    gzipSync(new TextEncoder().encode(text("b"))),
  ];
  const bytes = new Uint8Array(first.length + second.length / 2);
  bytes.set(first);
  bytes.set(second.subarray(0, second.length / 2), first.length);
  await Deno.writeFile(join(events, PART), bytes);
  return { dir, stateDb: join(dir, "s.db"), identity: { eventsDir: events, trails: ["s3://b/"] } };
}

const names = async (dir: string) => (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();

Deno.test("rebuildState() failing after it rewrote a part file leaves its rebuild file, empty, until a rebuild ends", async () => {
  const { dir, stateDb, identity } = await cutArchive();
  try {
    // Failing before the rewritten part replaces the cut one: nothing changed, so nothing marks the rebuild.
    const cut = await Deno.readFile(join(identity.eventsDir, PART));
    const failAt = (at: string) => ({
      onStep: (step: string) => step === at ? Promise.reject(new Error("disk full")) : Promise.resolve(),
    });
    await assert.rejects(rebuildState(stateDb, identity, failAt("rewriting")), /disk full/);
    assert.deepEqual(await names(dir), ["events"]);
    assert.deepEqual(await Deno.readFile(join(identity.eventsDir, PART)), cut);
    assert.deepEqual(await names(join(identity.eventsDir, PART, "..")), ["part-0.jsonl.gz"]);
    // Failing once it replaced it: the mark stays.
    await assert.rejects(rebuildState(stateDb, identity, failAt("mended")), /disk full/);
    assert.deepEqual(await names(dir), ["events", "s.db.rebuild"], "the mark stays; no log of SQLite beside it");
    assert.equal((await Deno.stat(rebuildPathOf(stateDb))).size, 0, "the half-built DB is emptied");
    // Resumed (the part is whole now: nothing to rewrite) and failing before its rename: the mark stays.
    await assert.rejects(rebuildState(stateDb, identity, failAt("built")), /disk full/);
    assert.deepEqual(await names(dir), ["events", "s.db.rebuild"]);
    assert.ok((await Deno.stat(rebuildPathOf(stateDb))).size > 0, "built, not renamed");
    const report = await rebuildState(stateDb, identity);
    assert.equal(report.cut, 0, "the first attempt's rewrite is read as it is");
    assert.deepEqual(await names(dir), ["events", "s.db"], "the rename ends the rebuild");
    const state = SyncState.open(stateDb, identity);
    assert.equal(state.outputs()[0]?.length, (await Deno.stat(join(identity.eventsDir, PART))).size);
    state.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rebuildState(): a symlink in the rebuild file's place is removed, never followed", async () => {
  const { dir, stateDb, identity } = await cutArchive();
  try {
    const victim = join(dir, "victim.txt");
    await Deno.writeTextFile(victim, "precious\n");
    await Deno.symlink(victim, rebuildPathOf(stateDb));
    await rebuildState(stateDb, identity);
    assert.equal(await Deno.readTextFile(victim), "precious\n");
    assert.deepEqual(await names(dir), ["events", "s.db", "victim.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
