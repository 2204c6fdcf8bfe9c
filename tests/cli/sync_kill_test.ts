/** sync killed with SIGKILL at random moments, resumed each time: the archive ends with every event exactly once. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TEST_AWS_ENV } from "../helpers/aws_env.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { makeSyncBucket, readArchive, SYNC_BUCKET } from "../helpers/sync_bucket.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;
const KILLS = 10;

/** A seeded random number in [0, 1), so a failing sequence of kill moments can be replayed. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

Deno.test(`sync: ${KILLS} runs killed with SIGKILL at random moments, each resumed, leave 0 lost and 0 duplicated events`, async () => {
  const bucket = await makeSyncBucket({ filesPerDay: 8, recordsPerFile: 40 });
  // Bodies dribble out (150 ms per 4 KB), so a whole run takes several seconds and most kills land in the middle.
  const peer = await startS3Peer({ slowBodyMs: 150 });
  const seed = Number(Deno.env.get("SYNC_KILL_SEED") ?? 20261203); // fixed in CI; SYNC_KILL_SEED tries others
  const random = seeded(seed);
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    const dir = await Deno.makeTempDir();
    const config = join(dir, "sync.jsonc");
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        events_dir: join(dir, "events"),
        state_db: join(dir, "state.db"),
        events_per_file: 7, // many part files: crashes land during rollovers too
        download_workers: 3,
        process_workers: 1,
        progress_interval: 1,
        trails: [{ name: "main", bucket: SYNC_BUCKET, prefix: "" }, {
          name: "other",
          bucket: SYNC_BUCKET,
          prefix: "other/",
        }],
      }),
    );
    const run = () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "--quiet", "--allow-all", main, "sync", "--config", config, "--endpoint-url", peer.endpoint],
        env: { NO_COLOR: "1", ...TEST_AWS_ENV },
        stdout: "null",
        stderr: "piped",
      }).spawn();
    const moments: string[] = [];
    let partial = 0; // kills that left an archive neither empty nor complete
    for (let i = 0; i < KILLS; i++) {
      const child = run();
      // Kills follow the run's own progress (a line a second), not the clock: under load start-up alone can take
      // seconds. The moment is the 1st or 2nd progress line, plus up to 400 ms.
      const line = 1 + Math.floor(random() * 2);
      const extra = Math.floor(random() * 400);
      moments.push(`line ${line} + ${extra} ms`);
      let seen = 0;
      let text = "";
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        text += chunk;
        seen = text.split("\n").filter((l) => /^sync: [\d,]+ files/.test(l)).length;
        if (seen >= line) break;
      }
      await new Promise((r) => setTimeout(r, extra));
      try {
        child.kill("SIGKILL");
      } catch { /* it had already finished */ }
      await child.status;
      const lines = (await readArchive(join(dir, "events"), { tolerant: true })).keys.length;
      if (lines > 0 && lines < bucket.keys.size) partial++;
      if (Deno.env.get("SYNC_KILL_TRACE")) {
        // deno-lint-ignore no-console
        console.error(`kill at progress line ${line} + ${extra} ms: ${lines} of ${bucket.keys.size} lines`);
      }
    }
    const last = await run().output();
    const stderr = new TextDecoder().decode(last.stderr);
    assert.equal(last.code, 1, stderr); // the corrupt file stays failed
    assert.match(stderr, /error: 1 files could not be synced/);
    const archive = await readArchive(join(dir, "events"));
    const context = `seed ${seed}, kills at ${moments.join(", ")}`;
    assert.ok(partial >= 3, `only ${partial} kills landed mid-run (${context})`);
    assert.equal(archive.keys.length, new Set(archive.keys).size, `duplicated events (${context})`);
    assert.deepEqual(new Set(archive.keys), bucket.keys, `lost events (${context})`);
  } finally {
    await peer.stop();
  }
});
