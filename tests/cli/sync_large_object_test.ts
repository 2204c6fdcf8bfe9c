/**
 * An S3 log file larger than the log file limit is not downloaded whole by `sync`: it fails with the reason a local
 * file past the limit is skipped with (and is retried on the next run, like a gzip bomb); the other files are synced.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { runCli } from "../helpers/fake_io.ts";
import { logName, record } from "../helpers/log_tree.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { readArchive, SYNC_BUCKET, syncArgs } from "../helpers/sync_bucket.ts";
import { withLowLimit } from "../helpers/log_limit.ts";

const day = "AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01";

function event(id: string) {
  return { ...record("2024-03-01T10:00:00Z"), eventID: id, awsRegion: "eu-west-1", recipientAccountId: "111122223333" };
}

Deno.test("sync: an S3 log file larger than the limit fails with its reason; the others are synced", async () => {
  const peer = await startS3Peer();
  const dir = await Deno.makeTempDir();
  try {
    const root = join(dir, "bucket");
    await Deno.mkdir(join(root, day), { recursive: true });
    const name = (id: string) => join(root, day, logName("20240301T1000Z", id, "111122223333", "eu-west-1"));
    const text = (records: unknown[]) => new TextEncoder().encode(JSON.stringify({ Records: records }));
    await Deno.writeFile(name("Good1"), gzipSync(text([event("a")])));
    const plain = text([event("b")]);
    const big = new Uint8Array(2 << 20).fill(0x20);
    big.set(plain.subarray(0, -1));
    big[big.length - 1] = 0x7d; // "}": valid JSON, 2 MiB, not gzip
    await Deno.writeFile(name("Plain2"), big);
    const random = new Uint8Array(2 << 20);
    for (let at = 0; at < random.length; at += 65536) crypto.getRandomValues(random.subarray(at, at + 65536));
    random.set([0x1f, 0x8b, 0x08]);
    await Deno.writeFile(name("Gzip3"), random);
    await peer.upload(SYNC_BUCKET, root);
    await withLowLimit(async () => {
      const r = await runCli(syncArgs(["--bucket", SYNC_BUCKET], dir, peer.endpoint));
      assert.equal(r.code, 1, r.stderr);
      const s3 = (id: string) =>
        `s3://${SYNC_BUCKET}/${day}/${logName("20240301T1000Z", id, "111122223333", "eu-west-1")}`;
      assert.match(r.stderr, new RegExp(`${s3("Plain2")}: over the log file limit of 1 MiB uncompressed`));
      assert.match(r.stderr, new RegExp(`${s3("Gzip3")}: over the log file limit of 1 MiB compressed`));
      assert.match(r.stderr, /; 1 events written, /);
      const archive = await readArchive(join(dir, "events"));
      assert.deepEqual(archive.keys, ["111122223333/eu-west-1/2024-03-01 a"]);
    });
  } finally {
    await peer.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
