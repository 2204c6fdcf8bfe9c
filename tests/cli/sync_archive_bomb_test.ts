/** A gzip bomb put in the sync archive: `sync --rebuild-state` refuses it with one line naming it, and changes nothing. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { runCli } from "../helpers/fake_io.ts";
import { bothTrailsConfig, syncArgs, withSyncPeer } from "../helpers/sync_bucket.ts";
import { LIMIT_VARIABLE, withLowLimit } from "../helpers/log_limit.ts";

Deno.test("sync --rebuild-state: a gzip bomb in the archive is refused (exit 1) with the part named; nothing changes", async () => {
  await withSyncPeer({ filesPerDay: 1 }, async ({ peer, dir }) => {
    const args = [...syncArgs(["--config", await bothTrailsConfig(dir)], dir, peer.endpoint), "--compress", "gzip"];
    await runCli(args);
    const db = await Deno.readFile(join(dir, "s.db"));
    const bomb = join(dir, "events", "account=444455556666/region=eu-west-1/date=2024-03-01/part-0.jsonl.gz");
    await Deno.mkdir(join(bomb, ".."), { recursive: true });
    await Deno.writeFile(bomb, gzipSync(new Uint8Array(64 << 20).fill(0x0a), { level: 9 }));
    await withLowLimit(async () => {
      const r = await runCli([...args, "--rebuild-state"]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        r.stderr,
        `error: archive part "${bomb}" is over the log file limit of 1 MiB uncompressed; nothing was written. Move ` +
          `it out of "${join(dir, "events")}" if sync did not write it, or raise ${LIMIT_VARIABLE} (a part holds ` +
          "events_per_file events)\n",
      );
    });
    assert.deepEqual(await Deno.readFile(join(dir, "s.db")), db, "the state DB is the one before");
  });
});
