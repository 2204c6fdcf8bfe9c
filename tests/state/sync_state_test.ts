import assert from "node:assert/strict";
import { join } from "node:path";
import { Archive } from "../../src/state/archive.ts";
import { STATE_VERSION, StateMismatch, StateVersionError, SyncState } from "../../src/state/sync_state.ts";
import { readPart } from "../../src/state/archive_scan.ts";
import { DatabaseSync } from "node:sqlite";
import { gzipSync } from "node:zlib";

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

Deno.test("Archive: lines written after the last commit are kept on the next start (their keys claimed); a torn tail is cut", async () => {
  const dir = await Deno.makeTempDir();
  const state = SyncState.open(join(dir, "s.db"), { eventsDir: dir, trails: ["s3://b/"] });
  const archive = new Archive(dir, { eventsPerFile: 2, gzip: false }, state);
  const line = (s: string) => encoder.encode(`{"eventID":"${s}"}\n`);
  await archive.prepare(new Map([["p", 3]]));
  const rows = await state.transaction(async () => {
    state.claimKeys("p", ["1", "2", "3"]);
    const rows = await archive.append([{ partition: "p", lines: [line("1"), line("2"), line("3")] }]);
    state.record({ done: [], failed: [], outputs: rows, cursors: [] });
    return rows;
  });
  archive.committed(rows);
  // The next batch is written but its commit never happens (a kill -9); the last file also ends in a torn line.
  await archive.prepare(new Map([["p", 3]]));
  await archive.append([{ partition: "p", lines: [line("4"), line("5")] }]);
  await Deno.writeTextFile(join(dir, "p/part-2.jsonl"), '{"eventID":"6', { append: true });
  await Deno.writeTextFile(join(dir, "p/part-3.jsonl"), '{"event');
  state.announceOutput({ path: "p/part-3.jsonl", partition: "p", part: 3, length: 0, lines: 0 });
  const recovery = await new Archive(dir, { eventsPerFile: 2, gzip: false }, state).recover();
  assert.deepEqual(recovery, {
    adopted: [join(dir, "p/part-1.jsonl"), join(dir, "p/part-2.jsonl")],
    adoptedLines: 2,
    truncated: [join(dir, "p/part-2.jsonl"), join(dir, "p/part-3.jsonl")],
  });
  assert.equal(await Deno.readTextFile(join(dir, "p/part-1.jsonl")), '{"eventID":"3"}\n{"eventID":"4"}\n');
  assert.equal(await Deno.readTextFile(join(dir, "p/part-2.jsonl")), '{"eventID":"5"}\n');
  await assert.rejects(Deno.stat(join(dir, "p/part-3.jsonl")), Deno.errors.NotFound);
  assert.deepEqual(state.outputs().map((o) => [o.path, o.length, o.lines]), [
    ["p/part-0.jsonl", 32, 2],
    ["p/part-1.jsonl", 32, 2],
    ["p/part-2.jsonl", 16, 1],
    ["p/part-3.jsonl", 0, 0],
  ]);
  // The kept events' keys are claimed: their files, read again, add nothing.
  await state.transaction(() =>
    Promise.resolve(assert.deepEqual(state.claimKeys("p", ["4", "5", "6"]), [false, false, true]))
  );
  state.close();
});

Deno.test("SyncState: schema version 1 is stamped on a new DB and on an unstamped one of this layout", async () => {
  const dir = await Deno.makeTempDir();
  const identity = { eventsDir: dir, trails: ["s3://b/"] };
  SyncState.open(join(dir, "new.db"), identity).close();
  const version = (path: string) => {
    const db = new DatabaseSync(path);
    const v = (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
    db.close();
    return v;
  };
  assert.equal(version(join(dir, "new.db")), STATE_VERSION);
  // An unstamped DB with this layout (what the first release wrote) is stamped and used.
  const unstamped = new DatabaseSync(join(dir, "unstamped.db"));
  unstamped.exec("CREATE TABLE partitions (pid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
  unstamped.close();
  SyncState.open(join(dir, "unstamped.db"), identity).close();
  assert.equal(version(join(dir, "unstamped.db")), STATE_VERSION);
});

Deno.test("SyncState: an earlier layout (no partition ids) and a newer version are refused with what was found", async () => {
  const dir = await Deno.makeTempDir();
  const identity = { eventsDir: dir, trails: ["s3://b/"] };
  const old = new DatabaseSync(join(dir, "old.db"));
  old.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE seen (key TEXT PRIMARY KEY);");
  old.close();
  assert.throws(() => SyncState.open(join(dir, "old.db"), identity), {
    name: "StateVersionError",
    message: "it has the schema of an earlier trailscraper (version 0, event keys not scoped by partition)",
  });
  const newer = new DatabaseSync(join(dir, "newer.db"));
  newer.exec("PRAGMA user_version = 7");
  newer.close();
  assert.throws(() => SyncState.open(join(dir, "newer.db"), identity), StateVersionError);
  assert.throws(() => SyncState.open(join(dir, "newer.db"), identity), /schema version 7, written by a newer/);
});

Deno.test("readPart(): only whole lines and whole gzip members count; a torn tail does not", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "plain.jsonl"), '{"a":1}\n{"b":2}\n{"c":');
  assert.deepEqual(await readPart(join(dir, "plain.jsonl"), false), { length: 16, text: '{"a":1}\n{"b":2}\n' });
  const one = gzipSync(encoder.encode('{"a":1}\n'));
  const two = gzipSync(encoder.encode('{"b":2}\n{"c":3}\n'));
  const torn = gzipSync(encoder.encode('{"d":4}\n')).subarray(0, 12);
  await Deno.writeFile(join(dir, "p.jsonl.gz"), new Uint8Array([...one, ...two, ...torn]));
  assert.deepEqual(await readPart(join(dir, "p.jsonl.gz"), true), {
    length: one.length + two.length,
    text: '{"a":1}\n{"b":2}\n{"c":3}\n',
  });
});

/** How many of this process's file descriptors are open on `path` (Linux; read by `ls`, as Deno may not). */
async function descriptorsOn(path: string): Promise<number> {
  const out = await new Deno.Command("ls", { args: ["-l", `/proc/${Deno.pid}/fd`], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l.endsWith(` -> ${path}`)).length;
}

Deno.test("SyncState.open(): a state it refuses (an earlier layout, a newer version) is closed, not leaked", async () => {
  const dir = await Deno.makeTempDir();
  const identity = { eventsDir: dir, trails: ["s3://b/"] };
  const old = join(dir, "old.db");
  const db = new DatabaseSync(old);
  db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE seen (key TEXT PRIMARY KEY);");
  db.close();
  assert.equal(await descriptorsOn(old), 0);
  for (let i = 0; i < 3; i++) assert.throws(() => SyncState.open(old, identity));
  assert.equal(await descriptorsOn(old), 0);
  const state = SyncState.open(join(dir, "ok.db"), identity);
  assert.equal(await descriptorsOn(join(dir, "ok.db")), 1); // the probe sees an open state
  state.close();
});

Deno.test("Archive.append(): when one partition fails, every other write has settled before the failure is reported", async () => {
  const dir = await Deno.makeTempDir();
  const state = SyncState.open(join(dir, "s.db"), { eventsDir: dir, trails: ["s3://b/"] });
  const archive = new Archive(dir, { eventsPerFile: 1_000_000, gzip: false }, state);
  const big = Array.from(
    { length: 200_000 },
    (_, i) => encoder.encode(`{"eventID":"${i}","pad":"${"x".repeat(200)}"}\n`),
  );
  await archive.prepare(new Map([["good", big.length]]));
  await Deno.mkdir(join(dir, "bad/part-0.jsonl"), { recursive: true }); // opening it for writing fails at once
  state.preparePartition("bad");
  const expected = big.reduce((n, l) => n + l.length, 0);
  await assert.rejects(archive.append([{ partition: "bad", lines: [encoder.encode("{}\n")] }, {
    partition: "good",
    lines: big,
  }]));
  assert.equal((await Deno.stat(join(dir, "good/part-0.jsonl"))).size, expected, "the good partition was done writing");
  state.close();
});

Deno.test("SyncState: a trail kept as written by an earlier run (`s3://b/logs`) is the same as its normalised form", async () => {
  const dir = await Deno.makeTempDir();
  SyncState.open(join(dir, "s.db"), { eventsDir: dir, trails: ["s3://b/logs"] }).close();
  SyncState.open(join(dir, "s.db"), { eventsDir: dir, trails: ["s3://b/logs/"] }).close();
  assert.throws(() => SyncState.open(join(dir, "s.db"), { eventsDir: dir, trails: ["s3://b/other/"] }), StateMismatch);
});
