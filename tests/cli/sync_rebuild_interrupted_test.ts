/**
 * `sync --rebuild-state` killed between rewriting a cut gzip part and putting the new state DB in place: whatever
 * runs next (with or without `--rebuild-state`) ends with every event exactly once and an archive that reads back.
 * And a rebuild never runs beside another sync on its state DB or its archive.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SyncLock } from "../../src/state/sync_lock.ts";
import { runCli } from "../helpers/fake_io.ts";
import { bothTrailsConfig, readArchive, SYNC_BUCKET, syncArgs, withSyncPeer } from "../helpers/sync_bucket.ts";
import { tearBiggestPart } from "../helpers/torn_part.ts";

const dieHelper = new URL("../helpers/rebuild_and_die.ts", import.meta.url).pathname;

/** Files in the archive's partition folders that are not part files. */
async function strayFiles(events: string): Promise<string[]> {
  const stray: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(join(d, e.name));
      else if (!/^part-\d+\.jsonl(\.gz)?$/.test(e.name) && e.name !== ".sync.lock") stray.push(join(d, e.name));
    }
  };
  await walk(events);
  return stray;
}

/** Runs a rebuild of the state in `dir` that dies (SIGKILL) right after `step`. */
async function rebuildAndDie(dir: string, step: string): Promise<void> {
  const trails = [`s3://${SYNC_BUCKET}/`, `s3://${SYNC_BUCKET}/other/`];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", dieHelper, step, join(dir, "s.db"), join(dir, "events"), ...trails],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(out.signal, "SIGKILL", `the rebuild died at "${step}": ${new TextDecoder().decode(out.stderr)}`);
}

for (const step of ["rewriting", "mended", "built"]) {
  for (const rerun of ["sync", "sync --rebuild-state"]) {
    Deno.test(`sync --rebuild-state killed after step "${step}", then \`${rerun}\`: every event once, the archive whole`, async () => {
      await withSyncPeer({ filesPerDay: 2 }, async ({ bucket, peer, dir }) => {
        const events = join(dir, "events");
        const args = [...syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint), "--compress", "gzip"];
        const first = await runCli(args);
        assert.equal(first.code, 1); // the corrupt file
        const files = Number(/ (\d+) files \(/.exec(first.stderr)![1]);
        // A part file cut inside a committed member, with its state DB still there (a plain run refuses it).
        await tearBiggestPart(events);
        await rebuildAndDie(dir, step);
        // A dry run plans what the next run does: finish the rebuild, so read every listed file again.
        const plan = await runCli([...args, "--dry-run"]);
        assert.equal(plan.code, 0, plan.stderr);
        assert.match(plan.stderr, /^sync: a `sync --rebuild-state` was stopped before it finished; the next run/);
        const planned = plan.stdout.trim().split("\n").reduce((n, line) => n + Number(line.split("\t")[3]), 0);
        assert.equal(planned, files, "every listed file");
        const r = await runCli(rerun.endsWith("--rebuild-state") ? [...args, "--rebuild-state"] : args);
        assert.equal(r.code, 1, r.stderr); // the corrupt file only
        if (rerun === "sync") {
          assert.match(
            r.stderr,
            /^sync: a `sync --rebuild-state` was stopped before it finished; finishing it first\n/,
          );
        }
        assert.match(r.stderr, /^sync: state rebuilt from \d+ part files/m);
        const archive = await readArchive(events); // gunzips every part file whole: no torn member is left
        assert.equal(archive.keys.length, bucket.keys.size, "every event once");
        assert.deepEqual(new Set(archive.keys), bucket.keys);
        const again = await runCli(args);
        assert.equal(again.code, 1, again.stderr);
        assert.match(again.stderr, / 0 events written/);
        assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["events", "s.db", "sync.jsonc"]);
        assert.deepEqual(await strayFiles(events), [], "no temporary file left in the archive");
      });
    });
  }
}

Deno.test("sync --rebuild-state while another sync holds the state DB or the events dir: exit 1, nothing rewritten", async () => {
  await withSyncPeer({ filesPerDay: 1 }, async ({ peer, dir }) => {
    const events = join(dir, "events");
    const args = [...syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint), "--compress", "gzip"];
    assert.equal((await runCli(args)).code, 1); // the corrupt file
    const torn = await tearBiggestPart(events);
    const bytes = await Deno.readFile(torn.path);
    for (
      const [held, take] of [
        ["state DB", () => SyncLock.acquire(join(dir, "s.db"))],
        ["events dir", () => SyncLock.acquireEventsDir(events)],
      ] as const
    ) {
      const lock = await take();
      try {
        const r = await runCli([...args, "--rebuild-state"]);
        assert.equal(r.code, 1, `${held}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^error: another sync \\(pid ${Deno.pid}\\) is using "`), held);
      } finally {
        await lock.release();
      }
      assert.deepEqual(await Deno.readFile(torn.path), bytes, `${held}: the cut part is not rewritten`);
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["events", "s.db", "sync.jsonc"], held);
    }
  });
});
