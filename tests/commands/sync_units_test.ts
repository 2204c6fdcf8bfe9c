/** The units of a sync pass, driven without S3: the lister (keys once, cursors) and the committer (batches). */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SyncCommitter } from "../../src/commands/sync_committer.ts";
import { type ListingSource, type SyncJob, SyncLister } from "../../src/commands/sync_lister.ts";
import type { SyncOut } from "../../src/core/sync/sync_partition.ts";
import type { LogFolder } from "../../src/sources/s3_discovery.ts";
import { systemClock } from "../../src/sources/system_clock.ts";
import { Archive } from "../../src/state/archive.ts";
import { SyncState } from "../../src/state/sync_state.ts";

const folder: LogFolder = { bucket: "b", account: "1", region: "r", prefix: "AWSLogs/1/CloudTrail/r/" };
const key = (name: string) => `${folder.prefix}2024/03/01/${name}`;

/** Two trails that both hold `folder`; its listing repeats keys across pages. */
function source(keys: string[]): ListingSource & { startAfter: (string | undefined)[] } {
  const startAfter: (string | undefined)[] = [];
  return {
    startAfter,
    async *folders() {
      yield folder;
    },
    async *keys(_folder, after) {
      startAfter.push(after);
      yield* keys;
    },
  };
}

Deno.test("SyncLister: each key once whatever the listings repeat; failed files first; a folder of two trails once", async () => {
  const recorded = new Set([key("a")]);
  const state = {
    cursor: () => undefined,
    isRecorded: (_b: string, k: string) => recorded.has(k),
    failedFiles: () => [{ bucket: "b", key: key("z-failed") }],
  };
  const listing = source(["a", "b", "c", "c", "d", "b"].map(key));
  const lister = new SyncLister(listing, state, {
    trails: [{ bucket: "b", prefix: "" }, { bucket: "b", prefix: "x/" }],
    signal: new AbortController().signal,
    problem: (e) => String(e),
  });
  const jobs: SyncJob[] = [];
  for await (const job of lister.jobs()) jobs.push(job);
  assert.deepEqual(jobs.map((j) => j.key), ["z-failed", "b", "c", "d"].map(key));
  assert.deepEqual(lister.counts, { folders: 1, already: 1, repeated: 2, failedListings: 0 });
  assert.equal(listing.startAfter.length, 1, "the folder both trails hold is listed once");
  // Cursors move past what is recorded, in listing order: "a" (done before), then "b" once it is settled.
  assert.deepEqual(lister.settle([jobs[2]!]), [{ bucket: "b", prefix: folder.prefix, lastKey: key("a") }]);
  assert.deepEqual(lister.settle([jobs[1]!]), [{ bucket: "b", prefix: folder.prefix, lastKey: key("c") }]);
});

Deno.test("SyncLister: a key listed again after it was recorded is passed over, not fetched twice", async () => {
  const recorded = new Set<string>();
  const state = {
    cursor: () => undefined,
    isRecorded: (_b: string, k: string) => recorded.has(k),
    failedFiles: () => [],
  };
  const lister = new SyncLister(source(["a", "b", "a"].map(key)), state, {
    trails: [{ bucket: "b", prefix: "" }],
    signal: new AbortController().signal,
    problem: (e) => String(e),
  });
  const fetched: string[] = [];
  for await (const job of lister.jobs()) {
    fetched.push(job.key);
    recorded.add(job.key); // committed at once
    lister.release([job]);
  }
  assert.deepEqual(fetched, ["a", "b"].map(key));
  assert.equal(lister.counts.repeated, 1);
});

function out(partition: string, lines: [string, string][]): SyncOut {
  const encoder = new TextEncoder();
  let end = 0;
  return {
    partitions: [{
      partition,
      keys: lines.map(([k]) => k),
      bytes: encoder.encode(lines.map(([, l]) => l + "\n").join("")),
      ends: Uint32Array.from(lines.map(([, l]) => (end += l.length + 1))),
    }],
    records: lines.length,
    withoutId: 0,
  };
}

Deno.test("SyncCommitter: batches commit with their files; duplicates across files are dropped and counted", async () => {
  const dir = await Deno.makeTempDir();
  const state = SyncState.open(join(dir, "s.db"), { eventsDir: dir, trails: ["s3://b/"] });
  const archive = new Archive(dir, { eventsPerFile: 10, gzip: false }, state);
  const released: string[] = [];
  const warnings: string[] = [];
  const committer = new SyncCommitter({
    state,
    archive,
    lister: { settle: () => [], release: (jobs) => void released.push(...jobs.map((j) => j.key)) },
    clock: systemClock,
    warn: (text) => Promise.resolve(void warnings.push(text)),
  });
  committer.add({ bucket: "b", key: "f1" }, out("p", [["e1", '{"eventID":"e1"}'], ["e2", '{"eventID":"e2"}']]));
  committer.add({ bucket: "b", key: "f2" }, out("p", [["e2", '{"eventID":"e2"}'], ["e3", '{"eventID":"e3"}']]));
  committer.fail({ bucket: "b", key: "f3" }, "f3: truncated gzip data");
  await committer.finish();
  assert.deepEqual(committer.counts, { files: 3, failed: 1, events: 3, duplicates: 1 });
  assert.deepEqual(released.sort(), ["f1", "f2", "f3"]);
  assert.deepEqual(warnings, ["f3: truncated gzip data"]);
  assert.equal(
    await Deno.readTextFile(join(dir, "p/part-0.jsonl")),
    '{"eventID":"e1"}\n{"eventID":"e2"}\n{"eventID":"e3"}\n',
  );
  assert.ok(state.isRecorded("b", "f1") && state.isRecorded("b", "f3"));
  assert.deepEqual(state.failedFiles().map((f) => f.key), ["f3"]);
  state.close();
});
