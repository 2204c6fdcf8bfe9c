import assert from "node:assert/strict";
import { join } from "node:path";
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { runCli } from "../helpers/fake_io.ts";
import { s3Error, startS3Peer } from "../helpers/s3_peer.ts";
import { makeSyncBucket, readArchive, SYNC_BUCKET, syncArgs, withSyncPeer } from "../helpers/sync_bucket.ts";
import { logName, record } from "../helpers/log_tree.ts";
import { gzipSync } from "node:zlib";

async function configFile(dir: string, extra = ""): Promise<string> {
  const path = join(dir, "sync.jsonc");
  await Deno.writeTextFile(
    path,
    `{
  // two trails in one bucket; the org trail sits beside the account trail
  "list_batch_size": 2, // pagination at every level
  "events_per_file": 25,
  "events_dir": ${JSON.stringify(join(dir, "events"))},
  "state_db": ${JSON.stringify(join(dir, "state.db"))},
  "bloom_expected_items": 100000000,
  ${extra}
  "trails": [
    { "name": "main", "bucket": "${SYNC_BUCKET}", "prefix": "" },
    { "name": "other", "bucket": "${SYNC_BUCKET}", "prefix": "other" },
  ],
}
`,
  );
  return path;
}

const gets = (requests: string[]) => requests.filter((q) => q.startsWith("GET") && !q.includes("list-type"));
const lists = (requests: string[]) => requests.filter((q) => q.includes("list-type"));

Deno.test("sync: account, organization and prefixed trails overlap; every event is written once, by partition", async () => {
  const bucket = await makeSyncBucket();
  const peer = await startS3Peer({ fault: () => undefined });
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    const dir = await Deno.makeTempDir();
    const config = await configFile(dir);
    const r = await runCli(["sync", "--config", config, "--endpoint-url", peer.endpoint]);
    assert.equal(r.code, 1, r.stderr); // the corrupt file fails; it is retried next time
    assert.match(r.stderr, /note: "bloom_expected_items" is not used: duplicates are found exactly/);
    assert.match(r.stderr, /warning: s3:\/\/trail-logs\/.*_Corrupt1\.json\.gz: truncated gzip data\n/);
    const archive = await readArchive(join(dir, "events"));
    assert.equal(archive.keys.length, bucket.keys.size, "every event once");
    assert.deepEqual(new Set(archive.keys), bucket.keys);
    assert.deepEqual(
      archive.partitions,
      new Map([...bucket.partitions].map(([p, n]) => {
        const [account, region, date] = p.split("/");
        return [`${account}/${region}/${date}`, n];
      })),
    );
    assert.match(
      r.stderr,
      /sync: 10 account\/region folders \(\d+ LIST calls\), 63 files .* 1 failed, 0 already done; 841 events written, 362 duplicates dropped, 3 without eventID/,
    );
    // A part file holds at most events_per_file lines.
    for await (const e of Deno.readDir(join(dir, "events/account=111122223333/region=eu-west-1/date=2024-03-01"))) {
      const lines =
        (await Deno.readTextFile(join(dir, "events/account=111122223333/region=eu-west-1/date=2024-03-01", e.name)))
          .split("\n").length - 1;
      assert.ok(lines <= 25, `${e.name}: ${lines}`);
    }

    // New files between runs: the rerun fetches exactly those (and retries the failed one), nothing else.
    peer.requests.length = 0;
    const day = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/02";
    const fresh = {
      ...record("2024-03-02T23:50:00Z"),
      eventID: "fresh-1",
      awsRegion: "us-east-1",
      recipientAccountId: "111122223333",
    };
    await peer.client.send(
      new PutObjectCommand({
        Bucket: SYNC_BUCKET,
        Key: `${day}/${logName("20240302T2355Z", "Fresh1", "111122223333", "us-east-1")}`,
        Body: gzipSync(new TextEncoder().encode(JSON.stringify({ Records: [fresh] }))),
      }),
    );
    const again = await runCli(["sync", "--config", config, "--endpoint-url", peer.endpoint]);
    assert.equal(again.code, 1, again.stderr);
    assert.deepEqual(gets(peer.requests).map((q) => q.split("/").pop()!.split("?")[0]).sort(), [
      "111122223333_CloudTrail_eu-west-1_20240301T1202Z_Corrupt1.json.gz",
      "111122223333_CloudTrail_us-east-1_20240302T2355Z_Fresh1.json.gz",
    ]);
    const after = await readArchive(join(dir, "events"));
    assert.equal(after.keys.length, bucket.keys.size + 1);
    assert.ok(after.keys.includes("111122223333/us-east-1/2024-03-02 fresh-1"));
  } finally {
    await peer.stop();
  }
});

Deno.test("sync: a rerun with nothing new makes no GET and lists each account/region once", async () => {
  const bucket = await makeSyncBucket({ filesPerDay: 2 });
  const peer = await startS3Peer({ fault: () => undefined });
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    await peer.client.send(
      new DeleteObjectCommand({
        Bucket: SYNC_BUCKET,
        Key:
          "AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01/111122223333_CloudTrail_eu-west-1_20240301T1202Z_Corrupt1.json.gz",
      }),
    );
    const dir = await Deno.makeTempDir();
    const args = syncArgs(["--bucket", SYNC_BUCKET], dir, peer.endpoint);
    const first = await runCli(args);
    assert.equal(first.code, 0, first.stderr);
    peer.requests.length = 0;
    const second = await runCli(args);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(gets(peer.requests).length, 0);
    // Discovery (AWSLogs/, the org, CloudTrail/ of each account), then one listing per account/region folder (8),
    // from the day folder of its last file on.
    const folderLists = lists(peer.requests).filter((q) => /CloudTrail%2F[a-z0-9-]+%2F/.test(q));
    assert.equal(folderLists.length, 8, folderLists.join("\n"));
    assert.ok(folderLists.every((q) => q.includes("start-after=") && q.endsWith("2024%2F03%2F02%2F")));
    assert.match(second.stderr, /0 files \(0\.0 MB\), 0 failed, \d+ already done; 0 events written/);
  } finally {
    await peer.stop();
  }
});

Deno.test("sync: a vanished object and access denied are recorded, named and retried; others go on", async () => {
  const bucket = await makeSyncBucket({ filesPerDay: 1 });
  let denied = true;
  const peer = await startS3Peer({
    fault: (request, url) => {
      if (request.method !== "GET" || url.search.includes("list-type")) return undefined;
      if (url.pathname.includes("_NoId1")) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
      if (denied && url.pathname.includes("777788889999_CloudTrail_us-east-1")) return s3Error(403, "AccessDenied");
      return undefined;
    },
  });
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    const dir = await Deno.makeTempDir();
    const args = syncArgs(["--bucket", SYNC_BUCKET], dir, peer.endpoint);
    const r = await runCli(args);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /warning: s3:\/\/trail-logs\/.*_NoId1\.json\.gz: the object is gone \(NoSuchKey\)\n/,
    );
    assert.match(
      r.stderr,
      /warning: access denied while downloading s3:\/\/trail-logs\/.*777788889999_CloudTrail_us-east-1.*: the caller needs s3:GetObject on arn:aws:s3:::trail-logs\//,
    );
    assert.match(r.stderr, /error: 4 files could not be synced; they are retried on the next run\n$/);
    denied = false;
    peer.requests.length = 0;
    const again = await runCli(args);
    assert.match(again.stderr, /error: 2 files could not be synced/); // the vanished one and the corrupt one
    assert.equal(gets(peer.requests).length, 4, "only the failed files are fetched again");
  } finally {
    await peer.stop();
  }
});

Deno.test("sync: listing denied names s3:ListBucket and leaves no state DB; a state DB of other trails or another archive is refused", async () => {
  let denied = true;
  const peer = await startS3Peer({
    fault: (_request, url) => denied && url.search.includes("list-type") ? s3Error(403, "AccessDenied") : undefined,
  });
  try {
    await peer.client.send(new CreateBucketCommand({ Bucket: SYNC_BUCKET }));
    const dir = await Deno.makeTempDir();
    const state = join(dir, "s.db");
    const base = ["sync", "--events-dir", join(dir, "events"), "--state-db", state, "--endpoint-url", peer.endpoint];
    const r = await runCli([...base, "--bucket", SYNC_BUCKET]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /error: access denied while listing s3:\/\/trail-logs\/AWSLogs\/: the caller needs s3:ListBucket on arn:aws:s3:::trail-logs\n$/,
    );
    assert.deepEqual([...Deno.readDirSync(dir)], [], "a run that failed before its first listing leaves nothing");
    denied = false;
    const listed = await runCli([...base, "--bucket", SYNC_BUCKET]);
    assert.equal(listed.code, 0, listed.stderr);
    const other = await runCli([...base, "--bucket", "another-bucket"]);
    assert.equal(other.code, 2);
    assert.match(
      other.stderr,
      /^error: state DB ".*s\.db" is not for this config: it was made for s3:\/\/trail-logs\/; this config has s3:\/\/another-bucket\/; use another --state-db\n/,
    );
    const moved = await runCli([
      "sync",
      "--events-dir",
      join(dir, "elsewhere"),
      "--state-db",
      state,
      "--bucket",
      SYNC_BUCKET,
    ]);
    assert.equal(moved.code, 2);
    assert.match(moved.stderr, /it belongs to the archive in ".*events", not ".*elsewhere"/);
  } finally {
    await peer.stop();
  }
});

Deno.test("sync: a config file that never ends (/dev/zero) is refused past 16 MiB, not read into all the memory", async () => {
  const r = await runCli(["sync", "--config", "/dev/zero"]);
  assert.deepEqual(
    [r.code, r.stdout, r.stderr],
    [1, "", 'error: cannot read config file "/dev/zero": more than 16 MiB (a sync config is a few kB)\n'],
  );
});

Deno.test("sync: config errors are usage errors that name the key", async () => {
  const dir = await Deno.makeTempDir();
  const config = join(dir, "c.jsonc");
  const run = async (text: string) => {
    await Deno.writeTextFile(config, text);
    return await runCli(["sync", "--config", config]);
  };
  let r = await run(`{ "download_wrokers": 5, "trails": [] }`);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^error: config file ".*c\.jsonc": unknown key "download_wrokers" \(did you mean "download_workers"\?\)\n/,
  );
  r = await run(`{ "events_per_file": "many" }`);
  assert.match(r.stderr, /"events_per_file" must be a whole number of at least 1, got "many"/);
  r = await run(`{ "trails": [ { "bucket": "b" ] }`);
  assert.match(
    r.stderr,
    /: expected a comma \(,\) before the next entry, or the end of the object \(\}\) or list \(\]\), found "\]" at line 1 column 31\n/,
  );
  r = await run(`{}`);
  assert.match(r.stderr, /^error: nothing to sync: give --bucket, or --config with trails\n/);
});

Deno.test("sync --dry-run lists the account/region folders and the files each would fetch; fetches nothing", async () => {
  const bucket = await makeSyncBucket({ filesPerDay: 1 });
  const peer = await startS3Peer({ fault: () => undefined });
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    const dir = await Deno.makeTempDir();
    const r = await runCli(
      syncArgs(["--dry-run", "--bucket", SYNC_BUCKET, "--prefix", "other/"], dir, peer.endpoint, join(dir, "e")),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "s3://trail-logs/other/AWSLogs/111122223333/CloudTrail/eu-west-1/\t111122223333\teu-west-1\t2\n" +
        "s3://trail-logs/other/AWSLogs/111122223333/CloudTrail/us-east-1/\t111122223333\tus-east-1\t2\n",
    );
    assert.equal(gets(peer.requests).length, 0);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "a dry run creates nothing: no state DB, no lock, no archive");
    // With a state: it is read, not changed (not even stamped or checkpointed).
    const args = syncArgs(["--bucket", SYNC_BUCKET, "--prefix", "other/"], dir, peer.endpoint, join(dir, "e"));
    assert.equal((await runCli(args)).code, 0);
    const files = () => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    const archive = () => [...Deno.readDirSync(join(dir, "e"))].map((e) => e.name).sort();
    const before = { names: files(), state: Deno.readFileSync(join(dir, "s.db")), archive: archive() };
    assert.ok(!before.archive.includes(".sync.lock"), "the events dir's lock goes with the run");
    const planned = await runCli([...args, "--dry-run"]);
    assert.equal(planned.code, 0, planned.stderr);
    assert.equal(
      planned.stdout,
      "s3://trail-logs/other/AWSLogs/111122223333/CloudTrail/eu-west-1/\t111122223333\teu-west-1\t0\n" +
        "s3://trail-logs/other/AWSLogs/111122223333/CloudTrail/us-east-1/\t111122223333\tus-east-1\t0\n",
    );
    assert.deepEqual(files(), before.names);
    assert.deepEqual(archive(), before.archive, "a dry run takes no lock in the events dir");
    assert.deepEqual(Deno.readFileSync(join(dir, "s.db")), before.state);
  } finally {
    await peer.stop();
  }
});

Deno.test("sync: relative state_db and events_dir in a config file are relative to the file's folder", async () => {
  await withSyncPeer({ filesPerDay: 1 }, async ({ peer, dir }) => {
    await Deno.mkdir(join(dir, "conf"));
    const config = join(dir, "conf", "sync.jsonc");
    const name = `relative-${crypto.randomUUID()}`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({ state_db: `${name}.db`, events_dir: name, trails: [{ bucket: SYNC_BUCKET }] }),
    );
    const r = await runCli(["sync", "--config", config, "--endpoint-url", peer.endpoint]);
    try {
      assert.equal(r.code, 1, r.stderr); // the corrupt file
      assert.ok(Deno.statSync(join(dir, "conf", `${name}.db`)).isFile);
      assert.ok([...Deno.readDirSync(join(dir, "conf", name))].some((e) => e.name.startsWith("account=")));
    } finally {
      // Before the fix these landed in the working directory.
      for (const p of [name, `${name}.db`, `${name}.db-wal`, `${name}.db-shm`]) {
        await Deno.remove(p, { recursive: true }).catch(() => {});
      }
    }
  });
});

Deno.test("sync: a failed listing is counted in the summary line (not `0 failed` alone) and fails the run", async () => {
  const bucket = await makeSyncBucket({ filesPerDay: 1 });
  let broken = true;
  const peer = await startS3Peer({
    fault: (_request, url) =>
      broken && url.search.includes("list-type") &&
        decodeURIComponent(url.search).includes("777788889999/CloudTrail/us-east-1/")
        ? s3Error(400, "InvalidArgument", "a listing that fails")
        : undefined,
  });
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    const dir = await Deno.makeTempDir();
    const args = syncArgs(["--bucket", SYNC_BUCKET], dir, peer.endpoint);
    const r = await runCli(args);
    assert.equal(r.code, 1, r.stderr);
    // The bucket's corrupt file fails too: both are counted, the listing on its own.
    assert.match(r.stderr, /^sync: .* 1 failed, 1 listing failed, 0 already done; /m);
    assert.match(
      r.stderr,
      /(warning|error): listing s3:\/\/trail-logs\/.*777788889999\/CloudTrail\/us-east-1\/ failed/,
    );
    broken = false;
    const again = await runCli(args);
    assert.match(again.stderr, /^sync: .* 1 failed, \d+ already done; [1-9]/m, "the folder is synced once it lists");
  } finally {
    await peer.stop();
  }
});
