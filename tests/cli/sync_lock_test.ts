/** Two `sync` processes on one state DB: one runs, the other exits 1 at once naming the holder; nothing is lost. */
import { TEST_AWS_ENV } from "../helpers/aws_env.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { startS3Peer } from "../helpers/s3_peer.ts";
import {
  bothTrailsConfig,
  makeSyncBucket,
  readArchive,
  SYNC_BUCKET,
  syncArgs,
  withSyncPeer,
} from "../helpers/sync_bucket.ts";
import { runCli } from "../helpers/fake_io.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;
const TRIALS = 3;
const CORRUPT =
  "AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01/111122223333_CloudTrail_eu-west-1_20240301T1202Z_Corrupt1.json.gz";

Deno.test(`sync: two runs started together on one state DB, ${TRIALS} times: one syncs, the other exits 1 at once`, async () => {
  const bucket = await makeSyncBucket({ filesPerDay: 4 });
  // Every GET waits until one of the two runs has ended (or 20 s): the two overlap however late either starts. With
  // both running (no lock), neither ends until the 20 s are up, and the test fails on its counts.
  let release = () => {};
  let gate = new Promise<void>((r) => (release = r));
  const peer = await startS3Peer({
    fault: async (request, url) => {
      if (request.method === "GET" && !url.searchParams.has("list-type")) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([gate, new Promise((r) => (timer = setTimeout(r, 20_000)))]);
        clearTimeout(timer);
      }
      return undefined;
    },
  });
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    await peer.client.send(new DeleteObjectCommand({ Bucket: SYNC_BUCKET, Key: CORRUPT }));
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = await Deno.makeTempDir();
      const config = await bothTrailsConfig(dir);
      const args = [...syncArgs(["--config", config], dir, peer.endpoint), "--download-workers", "4"];
      const start = () =>
        new Deno.Command(Deno.execPath(), {
          args: ["run", "--quiet", "--allow-all", main, ...args],
          env: { NO_COLOR: "1", ...TEST_AWS_ENV },
          stdout: "null",
          stderr: "piped",
        }).spawn();
      gate = new Promise<void>((r) => (release = r));
      const children = [start(), start()];
      const outputs = await Promise.all(children.map((c) => c.output().finally(() => release())));
      const results = outputs.map((o, i) => ({
        pid: children[i]!.pid,
        code: o.code,
        stderr: new TextDecoder().decode(o.stderr),
      }));
      const refused = results.filter((r) => /another sync/.test(r.stderr));
      const ran = results.filter((r) => !/another sync/.test(r.stderr));
      const context = `trial ${trial}: ${JSON.stringify(results)}`;
      assert.equal(refused.length, 1, context);
      assert.equal(ran.length, 1, context);
      assert.equal(refused[0]!.code, 1, context);
      assert.equal(
        refused[0]!.stderr,
        `error: another sync (pid ${ran[0]!.pid}) is using "${join(dir, "s.db")}"\n`,
        context,
      );
      assert.equal(ran[0]!.code, 0, context);
      const archive = await readArchive(join(dir, "events"));
      assert.equal(archive.keys.length, new Set(archive.keys).size, `duplicated events (${context})`);
      assert.deepEqual(new Set(archive.keys), bucket.keys, `lost events (${context})`);
      assert.ok(!Deno.readDirSync(dir).some((e) => e.name.endsWith(".lock")), "the lock file goes with the run");
    }
  } finally {
    await peer.stop();
  }
});

Deno.test("sync: a lock file left by a killed run (its pid inside) does not block the next run", async () => {
  await withSyncPeer({ filesPerDay: 1 }, async ({ bucket, peer, dir }) => {
    await Deno.writeTextFile(join(dir, "s.db.lock"), "999999\n");
    const r = await runCli(syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint));
    assert.equal(r.code, 1, r.stderr); // the corrupt file
    assert.doesNotMatch(r.stderr, /another sync/);
    assert.equal((await readArchive(join(dir, "events"))).keys.length, bucket.keys.size);
  });
});
