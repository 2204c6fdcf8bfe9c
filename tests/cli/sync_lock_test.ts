/** Two `sync` processes on one state DB or one events dir: one runs, the other exits 1 at once naming the holder; nothing is lost. */
import { TEST_AWS_ENV } from "../helpers/aws_env.ts";
import assert from "node:assert/strict";
import { basename, join } from "node:path";
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

/** What one of two runs started together did. */
interface RunResult {
  pid: number;
  code: number;
  stderr: string;
  args: string[];
}

/**
 * A sync bucket (without its corrupt file) on an S3 peer whose every GET waits until one of the runs of {@link race}
 * has ended (or 20 s): the two overlap however late either starts. With both running (no lock), neither ends until
 * the 20 s are up, and the test fails on its counts.
 */
async function gatedPeer(
  test: (
    race: (a: string[], b: string[]) => Promise<RunResult[]>,
    keys: Set<string>,
    endpoint: string,
  ) => Promise<void>,
) {
  const bucket = await makeSyncBucket({ filesPerDay: 4 });
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
  const start = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--allow-all", main, ...args, "--download-workers", "4"],
      env: { NO_COLOR: "1", ...TEST_AWS_ENV },
      stdout: "null",
      stderr: "piped",
    }).spawn();
  const race = async (a: string[], b: string[]) => {
    gate = new Promise<void>((r) => (release = r));
    const children = [start(a), start(b)];
    const outputs = await Promise.all(children.map((c) => c.output().finally(() => release())));
    return outputs.map((o, i) => ({
      pid: children[i]!.pid,
      code: o.code,
      stderr: new TextDecoder().decode(o.stderr),
      args: [a, b][i]!,
    }));
  };
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    await peer.client.send(new DeleteObjectCommand({ Bucket: SYNC_BUCKET, Key: CORRUPT }));
    await test(race, bucket.keys, peer.endpoint);
  } finally {
    await peer.stop();
  }
}

/** The run refused with "another sync" and the one that ran, checked to be exactly one each. */
function refusedAndRan(results: RunResult[], context: string): { refused: RunResult; ran: RunResult } {
  const refused = results.filter((r) => /another sync/.test(r.stderr));
  const ran = results.filter((r) => !/another sync/.test(r.stderr));
  assert.equal(refused.length, 1, context);
  assert.equal(ran.length, 1, context);
  assert.equal(refused[0]!.code, 1, context);
  assert.equal(ran[0]!.code, 0, context);
  return { refused: refused[0]!, ran: ran[0]! };
}

Deno.test(`sync: two runs started together on one state DB, ${TRIALS} times: one syncs, the other exits 1 at once`, async () => {
  await gatedPeer(async (race, keys, endpoint) => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = await Deno.makeTempDir();
      const args = syncArgs(["--config", await bothTrailsConfig(dir)], dir, endpoint);
      const results = await race(args, args);
      const context = `trial ${trial}: ${JSON.stringify(results)}`;
      const { refused, ran } = refusedAndRan(results, context);
      assert.equal(refused.stderr, `error: another sync (pid ${ran.pid}) is using "${join(dir, "s.db")}"\n`, context);
      const archive = await readArchive(join(dir, "events"));
      assert.equal(archive.keys.length, new Set(archive.keys).size, `duplicated events (${context})`);
      assert.deepEqual(new Set(archive.keys), keys, `lost events (${context})`);
      assert.ok(!Deno.readDirSync(dir).some((e) => e.name.endsWith(".lock")), "the lock file goes with the run");
    }
  });
});

Deno.test(`sync: two runs with their own state DBs on one events dir (one through a symlink), ${TRIALS} times: one syncs, the other exits 1 at once`, async () => {
  await gatedPeer(async (race, keys, endpoint) => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = await Deno.makeTempDir();
      const events = join(dir, "events");
      await Deno.mkdir(events);
      await Deno.symlink(events, join(dir, "link"));
      const config = await bothTrailsConfig(dir);
      const run = (db: string, eventsDir: string) => [
        "sync",
        "--config",
        config,
        "--events-dir",
        eventsDir,
        "--state-db",
        join(dir, db),
        "--endpoint-url",
        endpoint,
      ];
      const results = await race(run("a.db", events), run("b.db", join(dir, "link")));
      const context = `trial ${trial}: ${JSON.stringify(results)}`;
      const { refused, ran } = refusedAndRan(results, context);
      const refusedEvents = refused.args[refused.args.indexOf("--events-dir") + 1]!;
      assert.equal(refused.stderr, `error: another sync (pid ${ran.pid}) is using "${refusedEvents}"\n`, context);
      const refusedDb = refused.args[refused.args.indexOf("--state-db") + 1]!;
      assert.ok(!Deno.readDirSync(dir).some((e) => e.name.startsWith(basename(refusedDb))), `${context}: no state`);
      const archive = await readArchive(events);
      assert.equal(archive.keys.length, new Set(archive.keys).size, `duplicated events (${context})`);
      assert.deepEqual(new Set(archive.keys), keys, `lost events (${context})`);
      assert.ok(!Deno.readDirSync(dir).some((e) => e.name.endsWith(".lock")), "the state lock goes with the run");
      assert.ok(!Deno.readDirSync(events).some((e) => e.name.endsWith(".lock")), "the events lock goes with the run");
    }
  });
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
