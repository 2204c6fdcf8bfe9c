/** The state DB lost, emptied or out of date while the archive stays: refused, never written over; rebuilt on request. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { gunzipSync, gzipSync } from "node:zlib";
import { logName, record } from "../helpers/log_tree.ts";
import { runCli } from "../helpers/fake_io.ts";
import { biggestPart, tearBiggestPart } from "../helpers/torn_part.ts";
import { bothTrailsConfig, readArchive, SYNC_BUCKET, syncArgs, withSyncPeer } from "../helpers/sync_bucket.ts";

/** How many of this process's file descriptors are open on `path` (Linux; read by `ls`, as Deno may not). */
async function descriptorsOn(path: string): Promise<number> {
  const out = await new Deno.Command("ls", { args: ["-l", `/proc/${Deno.pid}/fd`], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l.endsWith(` -> ${path}`)).length;
}

/** Every file below `dir` with its bytes, to show that nothing changed. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(join(d, e.name));
      else files.set(join(d, e.name), await Deno.readTextFile(join(d, e.name)));
    }
  };
  await walk(dir);
  return files;
}

Deno.test("sync: a deleted or emptied state DB beside a full archive is refused (exit 2) and the archive stays as it was", async () => {
  await withSyncPeer({ filesPerDay: 2 }, async ({ peer, dir }) => {
    const args = syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint);
    const first = await runCli(args);
    assert.equal(first.code, 1, first.stderr); // the corrupt file
    const before = await snapshot(join(dir, "events"));
    for (const lose of ["delete", "empty"]) {
      for (const f of ["s.db", "s.db-wal", "s.db-shm"]) await Deno.remove(join(dir, f)).catch(() => {});
      if (lose === "empty") await Deno.writeFile(join(dir, "s.db"), new Uint8Array());
      const r = await runCli(args);
      assert.equal(r.code, 2, `${lose}: ${r.stderr}`);
      const expected =
        `error: the archive in "${join(dir, "events")}" holds events that state DB "${
          join(dir, "s.db")
        }" does not know (was the state deleted or replaced?); nothing was written. Rebuild the state from the archive ` +
        "with `trailscraper sync --rebuild-state` and the same options, or sync into another --events-dir\n";
      assert.ok(r.stderr.startsWith(expected), r.stderr);
      assert.equal(await Deno.stat(join(dir, "s.db")).then(() => true, () => false), lose === "empty");
      assert.equal(await descriptorsOn(join(dir, "s.db")), 0, "the refused state is closed");
      assert.deepEqual(await snapshot(join(dir, "events")), before, `${lose}: the archive is untouched`);
    }
  });
});

Deno.test("sync --rebuild-state: the state comes back from the part files; events of expired S3 objects stay, none twice", async () => {
  await withSyncPeer({ filesPerDay: 2 }, async ({ bucket, peer, dir }) => {
    const args = [...syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint), "--compress", "gzip"];
    assert.equal((await runCli(args)).code, 1);
    // A lifecycle rule expires the first day's logs; then the state is lost.
    const listed = await peer.client.send(new ListObjectsV2Command({ Bucket: SYNC_BUCKET }));
    const expired = (listed.Contents ?? []).map((o) => o.Key!).filter((k) => k.includes("/2024/03/01/"));
    assert.ok(expired.length > 5);
    for (const key of expired) await peer.client.send(new DeleteObjectCommand({ Bucket: SYNC_BUCKET, Key: key }));
    for (const f of ["s.db", "s.db-wal", "s.db-shm"]) await Deno.remove(join(dir, f)).catch(() => {});
    const r = await runCli([...args, "--rebuild-state"]);
    assert.equal(r.code, 0, r.stderr); // the corrupt file expired too
    assert.match(
      r.stderr,
      new RegExp(
        `^sync: state rebuilt from \\d+ part files in "${join(dir, "events")}" \\(${bucket.keys.size} events\\)`,
      ),
    );
    assert.match(r.stderr, /; 0 events written, \d+ duplicates dropped/);
    const archive = await readArchive(join(dir, "events"));
    assert.equal(archive.keys.length, bucket.keys.size, "every event once");
    assert.deepEqual(new Set(archive.keys), bucket.keys);
    const again = await runCli(args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, / 0 files .* 0 events written/);
  });
});

Deno.test("sync: a part file the state does not know is never written over (exit 2, the file intact)", async () => {
  await withSyncPeer({ filesPerDay: 1 }, async ({ peer, dir }) => {
    const events = join(dir, "events");
    // The state knows the partitions of the `other/` trail only (account 111122223333).
    const other = await runCli(syncArgs(["--bucket", SYNC_BUCKET, "--prefix", "other/"], dir, peer.endpoint));
    assert.equal(other.code, 0, other.stderr);
    const stranger = join(events, "account=444455556666/region=eu-west-1/date=2024-03-01/part-0.jsonl");
    await Deno.mkdir(join(stranger, ".."), { recursive: true });
    await Deno.writeTextFile(stranger, '{"eventID":"kept"}\n');
    const r = await runCli(syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`holds events in "${stranger}" that state DB ".*s\\.db" does not know`));
    assert.match(r.stderr, /--rebuild-state/);
    assert.equal(await Deno.readTextFile(stranger), '{"eventID":"kept"}\n');
  });
});

Deno.test("sync: a state DB of an earlier layout is refused (exit 2) with what to do; --rebuild-state replaces it", async () => {
  await withSyncPeer({ filesPerDay: 1 }, async ({ bucket, peer, dir }) => {
    const old = new DatabaseSync(join(dir, "s.db"));
    old.exec(
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE seen (key TEXT PRIMARY KEY);",
    );
    old.close();
    const args = syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint);
    const r = await runCli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^error: state DB ".*s\.db" cannot be used: it has the schema of an earlier trailscraper \(version 0, event keys not scoped by partition\); rebuild it from the archive with `trailscraper sync --rebuild-state`, or use another --state-db\n/,
    );
    const rebuilt = await runCli([...args, "--rebuild-state"]);
    assert.equal(rebuilt.code, 1, rebuilt.stderr); // the corrupt file
    assert.equal((await readArchive(join(dir, "events"))).keys.length, bucket.keys.size);
  });
});

Deno.test("sync: a state restored from an older copy never cuts the archive back: events of since-expired objects stay", async () => {
  await withSyncPeer({ filesPerDay: 2 }, async ({ bucket, peer, dir }) => {
    const args = syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint);
    assert.equal((await runCli(args)).code, 1); // the corrupt file
    await Deno.copyFile(join(dir, "s.db"), join(dir, "backup.db"));
    // A late file into a day and partition the archive has: its events are appended to a part file the backup knows.
    const key = `AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/02/${logName("20240302T2355Z", "Late1")}`;
    const late = ["late-1", "late-2"].map((eventID) => ({
      ...record("2024-03-02T23:50:00Z"),
      eventID,
      awsRegion: "eu-west-1",
      recipientAccountId: "111122223333",
    }));
    const body = gzipSync(new TextEncoder().encode(JSON.stringify({ Records: late })));
    await peer.client.send(new PutObjectCommand({ Bucket: SYNC_BUCKET, Key: key, Body: body }));
    assert.equal((await runCli(args)).code, 1);
    assert.equal((await readArchive(join(dir, "events"))).keys.length, bucket.keys.size + 2);
    // The late object expires; the state is restored from the backup.
    await peer.client.send(new DeleteObjectCommand({ Bucket: SYNC_BUCKET, Key: key }));
    for (const f of ["s.db-wal", "s.db-shm"]) await Deno.remove(join(dir, f)).catch(() => {});
    await Deno.copyFile(join(dir, "backup.db"), join(dir, "s.db"));
    const r = await runCli(args);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^sync: kept 2 events written past the last commit in 1 archive files/m);
    const after = await readArchive(join(dir, "events"));
    assert.equal(after.keys.length, bucket.keys.size + 2, "no event lost, none twice");
    assert.ok(after.keys.includes("111122223333/eu-west-1/2024-03-02 late-2"));
  });
});

Deno.test("sync: a part file shorter than the state says is refused (exit 2) and never padded with zero bytes", async () => {
  await withSyncPeer({ filesPerDay: 1 }, async ({ bucket, peer, dir }) => {
    const events = join(dir, "events");
    const other = await runCli(syncArgs(["--bucket", SYNC_BUCKET, "--prefix", "other/"], dir, peer.endpoint));
    assert.equal(other.code, 0, other.stderr);
    const part = join(events, "account=111122223333/region=eu-west-1/date=2024-03-01/part-0.jsonl");
    const whole = await Deno.readTextFile(part);
    const cut = whole.slice(0, whole.lastIndexOf("\n", whole.length - 2) + 1); // its last line gone
    await Deno.writeTextFile(part, cut);
    const args = syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint);
    const r = await runCli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^error: archive file "${part}" is shorter than state DB ".*s\\.db" says \\(${cut.length} bytes, the state ` +
          `says ${whole.length}\\).*\`trailscraper sync --rebuild-state\``,
      ),
    );
    assert.equal(await Deno.readTextFile(part), cut, "nothing written, no hole");
    const rebuilt = await runCli([...args, "--rebuild-state"]);
    assert.equal(rebuilt.code, 1, rebuilt.stderr); // the corrupt file only
    const after = await Deno.readTextFile(part);
    assert.ok(!after.includes("\0"), "no zero bytes");
    for (const line of after.trimEnd().split("\n")) JSON.parse(line);
    const archive = await readArchive(events);
    assert.deepEqual(new Set(archive.keys), bucket.keys, "the cut event comes back from S3");
  });
});

Deno.test("sync --rebuild-state on a gzip part cut mid-member keeps every readable event; the rest comes back from S3", async () => {
  await withSyncPeer({ filesPerDay: 2 }, async ({ bucket, peer, dir }) => {
    const events = join(dir, "events");
    const args = [...syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint), "--compress", "gzip"];
    assert.equal((await runCli(args)).code, 1); // the corrupt file
    const loseState = async () => {
      for (const f of ["s.db", "s.db-wal", "s.db-shm"]) await Deno.remove(join(dir, f)).catch(() => {});
    };
    // While the S3 objects are there, the events cut away come back from S3, each once.
    await tearBiggestPart(events);
    await loseState();
    const refetched = await runCli([...args, "--rebuild-state"]);
    assert.equal(refetched.code, 1, refetched.stderr);
    const archive = await readArchive(events); // gunzips every part file whole: no torn member is left
    assert.equal(archive.keys.length, bucket.keys.size, "every event once");
    assert.deepEqual(new Set(archive.keys), bucket.keys);
    // Every S3 object expired: what the cut file can still give is all there is, and every complete line is kept.
    const listed = await peer.client.send(new ListObjectsV2Command({ Bucket: SYNC_BUCKET }));
    assert.ok(!listed.IsTruncated);
    for (const o of listed.Contents ?? []) {
      await peer.client.send(new DeleteObjectCommand({ Bucket: SYNC_BUCKET, Key: o.Key! }));
    }
    const torn = await tearBiggestPart(events);
    const readable = await new Deno.Command("gzip", { args: ["-dc", torn.path], stdout: "piped", stderr: "null" })
      .output();
    const gzipLines = new TextDecoder().decode(readable.stdout).split("\n").length - 1;
    await loseState();
    const r = await runCli([...args, "--rebuild-state"]);
    assert.equal(r.code, 0, r.stderr);
    const kept = new TextDecoder().decode(gunzipSync(await Deno.readFile(torn.path))).split("\n").slice(0, -1);
    assert.match(
      r.stderr,
      new RegExp(`, ${kept.length} of them read from 1 gzip files cut inside a member, rewritten`),
    );
    assert.ok(gzipLines > 0 && kept.length >= gzipLines, `${kept.length} lines kept, gzip reads ${gzipLines}`);
    assert.deepEqual(kept, torn.lines.slice(0, kept.length), "the first lines, as written");
    const after = await readArchive(events);
    assert.equal(after.keys.length, bucket.keys.size - (torn.lines.length - kept.length), "only the cut-away lost");
    assert.equal(new Set(after.keys).size, after.keys.length);
    const again = await runCli(args);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /cut the torn tail|kept \d+ events written past/);
  });
});

Deno.test("sync: a gzip part file longer than the state says, not by a batch of its own, is refused, never cut", async () => {
  await withSyncPeer({ filesPerDay: 1 }, async ({ bucket, peer, dir }) => {
    const events = join(dir, "events");
    const args = [...syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint), "--compress", "gzip"];
    assert.equal((await runCli(args)).code, 1); // the corrupt file
    // The part file comes back from elsewhere (another copy of the archive, recompressed): the same lines, other
    // members, longer. The ledger's length falls inside a member: cutting there would lose every line after it.
    const part = await biggestPart(events);
    const replaced = new Uint8Array(gzipSync(gunzipSync(await Deno.readFile(part)), { level: 0 }));
    assert.ok(replaced.length > (await Deno.stat(part)).size);
    await Deno.writeFile(part, replaced);
    const r = await runCli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`holds events in "${part}" that state DB ".*s\\.db" does not know`));
    assert.deepEqual(await Deno.readFile(part), replaced, "the file is not cut");
    const rebuilt = await runCli([...args, "--rebuild-state"]);
    assert.equal(rebuilt.code, 1, rebuilt.stderr); // the corrupt file only
    assert.deepEqual(new Set((await readArchive(events)).keys), bucket.keys);
    assert.equal((await readArchive(events)).keys.length, bucket.keys.size);
  });
});

Deno.test("sync: a JSONL part file longer than the state says, whose ledger length falls inside a line, is refused", async () => {
  await withSyncPeer({ filesPerDay: 1 }, async ({ bucket, peer, dir }) => {
    const events = join(dir, "events");
    const args = syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint);
    assert.equal((await runCli(args)).code, 1); // the corrupt file
    // The part file comes back from elsewhere with its lines in another order and one more: longer, and the
    // ledger's length no longer ends a line. Adopting from there would archive half a line as an event.
    const part = await biggestPart(events);
    const lines = (await Deno.readTextFile(part)).split("\n").slice(0, -1);
    const extra = JSON.stringify({ eventID: "from-elsewhere", recipientAccountId: "111122223333" });
    const replaced = [extra, ...lines.reverse()].join("\n") + "\n";
    await Deno.writeTextFile(part, replaced);
    const r = await runCli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`holds events in "${part}" that state DB ".*s\\.db" does not know`));
    assert.equal(await Deno.readTextFile(part), replaced, "the file is as it was");
    const rebuilt = await runCli([...args, "--rebuild-state"]);
    assert.equal(rebuilt.code, 1, rebuilt.stderr); // the corrupt file only
    const archive = await readArchive(events); // every line parses
    assert.equal(archive.keys.length, bucket.keys.size + 1);
  });
});
