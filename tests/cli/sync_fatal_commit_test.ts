/**
 * A run that stops on a fatal error (the bucket gone) while a batch is being appended: it ends, and lets go of its
 * locks, only once that append is over, so no other run can start on the archive while this one still writes to it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { runCli } from "../helpers/fake_io.ts";
import { s3Error, startS3Peer } from "../helpers/s3_peer.ts";
import { makeSyncBucket, SYNC_BUCKET } from "../helpers/sync_bucket.ts";

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The part files the state DB at `path` has announced (a batch announces its new parts just before it appends). */
function announced(path: string): string[] {
  try {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      return (db.prepare("SELECT path FROM outputs").all() as { path: string }[]).map((r) => r.path);
    } finally {
      db.close();
    }
  } catch {
    return []; // not made yet
  }
}

Deno.test("sync: a fatal error while a batch is appended ends the run only after the append (locks held till then)", async () => {
  // 40 files or more per account/region folder: the first folder alone fills a batch of 32 files, which is committed
  // while the next folder's listing waits (one download at a time, no worker pool: no file is held back ahead).
  const bucket = await makeSyncBucket({ filesPerDay: 20, recordsPerFile: 10 });
  const appending = deferred();
  let firstFolder: string | undefined;
  const peer = await startS3Peer({
    // Every folder but the first is listed only once a batch is being appended, and its bucket is gone by then.
    fault: async (_request, url) => {
      const prefix = url.searchParams.get("prefix") ?? "";
      if (!url.searchParams.has("list-type") || url.searchParams.has("delimiter") || !prefix.includes("/CloudTrail/")) {
        return undefined;
      }
      firstFolder ??= prefix;
      if (prefix === firstFolder) return undefined;
      // (Never longer than 60 s: were no batch committed, the test fails on that instead of waiting for ever.)
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([appending.promise, new Promise((r) => (timer = setTimeout(r, 60_000)))]);
      clearTimeout(timer);
      return s3Error(404, "NoSuchBucket", "The specified bucket does not exist");
    },
  });
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    const dir = await Deno.makeTempDir();
    const events = join(dir, "events");
    // Each part file is a named pipe: opening it to append waits until the test opens it to read.
    for (const partition of bucket.partitions.keys()) {
      const [account, region, date] = partition.split("/");
      const pipe = join(events, `account=${account}`, `region=${region}`, `date=${date}`, "part-0.jsonl");
      await Deno.mkdir(join(pipe, ".."), { recursive: true });
      assert.ok((await new Deno.Command("mkfifo", { args: [pipe] }).output()).success);
    }
    const stateDb = join(dir, "s.db");
    const args = ["sync", "--bucket", SYNC_BUCKET, "--events-dir", events, "--state-db", stateDb];
    const run = runCli([...args, "--endpoint-url", peer.endpoint, "--downloads", "1", "--in-thread"]);
    let ended = false;
    void run.finally(() => (ended = true));
    // The first batch announces its part files, then opens them and waits there: now the bucket goes.
    let parts: string[] = [];
    while (!ended && (parts = announced(stateDb)).length === 0) await new Promise((r) => setTimeout(r, 20));
    assert.ok(parts.length > 0, "a batch was committed");
    appending.resolve();
    // Were the run to end without waiting for its append, it would end now; give it 3 s to show it does not.
    await Promise.race([run, new Promise((r) => setTimeout(r, 3000))]);
    assert.equal(ended, false, "the run ended (and let go of its locks) while its append was still under way");
    assert.ok(await Deno.stat(join(events, ".sync.lock")).then(() => true, () => false), "the lock is held");
    // Let the appends go on (a pipe cannot be cut back to the ledger's length: they fail there, which is fine here).
    // Opened to read and write: an open of a named pipe for reading alone waits for a writer, and a run whose append
    // failed on one part may never open the others (the test then waited for ever: one full suite in five, 2026-12-03).
    const readers = await Promise.all(
      parts.map((part) => Deno.open(join(events, part), { read: true, write: true })),
    );
    const r = await run;
    for (const reader of readers) reader.close();
    assert.equal(r.code, 1, r.stderr);
    // The listing's error (or, on a machine so slow that the next batch came first, the pipe's refusal to be cut).
    assert.match(r.stderr, /^error: (listing s3:\/\/trail-logs\/.*NoSuchBucket|cannot write to the archive)/m);
  } finally {
    await peer.stop();
  }
});
