/**
 * `sync --rebuild-state` refusing a part past the log file limit after it rewrote a torn one: the rebuild stays
 * marked as unfinished, the error does not say nothing was written, and once the part is gone the next run finishes it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { runCli } from "../helpers/fake_io.ts";
import { bothTrailsConfig, readArchive, syncArgs, withSyncPeer } from "../helpers/sync_bucket.ts";
import { tearBiggestPart } from "../helpers/torn_part.ts";
import { withLowLimit } from "../helpers/log_limit.ts";

Deno.test("sync --rebuild-state: a part past the limit after a torn part was rewritten leaves the rebuild to finish", async () => {
  await withSyncPeer({ filesPerDay: 2 }, async ({ bucket, peer, dir }) => {
    const events = join(dir, "events");
    const args = [...syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint), "--compress", "gzip"];
    assert.equal((await runCli(args)).code, 1); // the bucket's corrupt file
    const torn = await tearBiggestPart(events);
    // Past the limit, in a partition read after every partition sync wrote.
    const bomb = join(events, "account=999999999999/region=eu-west-1/date=2024-03-01/part-0.jsonl.gz");
    await Deno.mkdir(join(bomb, ".."), { recursive: true });
    await Deno.writeFile(bomb, gzipSync(new Uint8Array(4 << 20).fill(0x0a)));
    await withLowLimit(async () => {
      const r = await runCli([...args, "--rebuild-state"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^error: archive part ".*part-0\.jsonl\.gz" is over the log file limit of 1 MiB/);
      assert.doesNotMatch(r.stderr, /nothing was written/, `${torn.path} was rewritten`);
      assert.match(
        r.stderr,
        /; the rebuild is not finished \(torn parts it made whole are not in the state DB yet\): the next run/,
      );
    });
    assert.ok(await Deno.stat(join(dir, "s.db.rebuild")), "the rebuild is marked as unfinished");
    await Deno.remove(bomb);
    const r = await runCli(args);
    assert.equal(r.code, 1, r.stderr); // the corrupt file only
    assert.match(r.stderr, /^sync: a `sync --rebuild-state` was stopped before it finished; finishing it first\n/);
    const archive = await readArchive(events);
    assert.deepEqual(new Set(archive.keys), bucket.keys);
    assert.equal(archive.keys.length, bucket.keys.size, "every event once");
  });
});
