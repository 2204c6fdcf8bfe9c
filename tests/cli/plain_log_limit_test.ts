/**
 * Log files past the log file limit on disk: a plain `.json` file larger than the limit (a gzip bomb's limit on
 * uncompressed bytes, TRAILSCRAPER_MAX_INFLATED_MIB) is skipped and counted with the same reason as a bomb by every
 * command that reads a log dir, and so is a gzip file larger than the limit before it is inflated; neither is read
 * whole first. The limit is lowered to 1 MiB so the files stay small, except for one sparse file of 300 MiB.
 */
import assert from "node:assert/strict";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import {
  makeSigner,
  publicKeyList,
  SignedTrail,
  type TreeObject,
  uploadObjects,
  writeTree,
} from "../../scripts/signed_tree.ts";
import { startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";
import { paddedText, withLowLimit } from "../helpers/log_limit.ts";

const ROLE = "arn:aws:iam::111122223333:role/app";
const PLAIN = "over the log file limit of 1 MiB uncompressed";
const GZIP = "over the log file limit of 1 MiB compressed";

/** `size` random bytes after gzip's magic number: a gzip file by its first bytes (refused before it is inflated). */
function gzipLooking(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  bytes.set([0x1f, 0x8b, 0x08]);
  return bytes;
}

/**
 * A log dir with a good gzip file (09:50) and, delivered after it, a plain `.json` file of 2 MiB holding one record
 * (10:00) and a gzip file of 2 MiB (10:06, past the limit before it is inflated).
 */
async function bigDir(): Promise<{ dir: string; plain: string; gzip: string }> {
  const dir = await Deno.makeTempDir();
  const day = dayDir("2024-03-01");
  writeLog(dir, `${day}/${logName("20240301T0955Z", "good")}`, [record("2024-03-01T09:50:00Z", ROLE, "RunInstances")]);
  const plain = `${dir}/${day}/${logName("20240301T1005Z", "plain").replace(/\.gz$/, "")}`;
  Deno.writeFileSync(plain, paddedText([record("2024-03-01T10:00:00Z", ROLE, "TerminateInstances")], 2 << 20));
  const gzip = `${dir}/${day}/${logName("20240301T1006Z", "gzip")}`;
  Deno.writeFileSync(gzip, gzipLooking(2 << 20));
  return { dir, plain, gzip };
}

Deno.test("select: a plain log file and a gzip file past the limit are skipped and counted, not read", async () => {
  const { dir, plain, gzip } = await bigDir();
  try {
    await withLowLimit(async () => {
      for (const workers of ["0", "2"]) {
        const r = await runCli(["select", "--log-dir", dir, "--workers", workers]);
        assert.equal(r.code, 0, r.stderr);
        const times = (JSON.parse(r.stdout).Records as { eventTime: string }[]).map((x) => x.eventTime);
        assert.deepEqual(times, ["2024-03-01T09:50:00Z"]);
        assert.equal(
          r.stderr,
          `warning: skipped "${plain}": ${PLAIN}\n` +
            `warning: skipped "${gzip}": ${GZIP}\n` +
            `select: 3 log files read (2 skipped: 1 ${GZIP}, 1 ${PLAIN}); 1 records matched\n`,
        );
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("last-event-timestamp and changes --log-dir: log files past the limit are skipped with their reason", async () => {
  const { dir, plain, gzip } = await bigDir();
  try {
    await withLowLimit(async () => {
      const newest = await runCli(["last-event-timestamp", "--log-dir", dir]);
      assert.equal(newest.code, 0, newest.stderr);
      assert.equal(newest.stdout, "2024-03-01 09:50:00+00:00\n");
      assert.equal(
        newest.stderr,
        `warning: skipped "${gzip}": ${GZIP}\n` +
          `warning: skipped "${plain}": ${PLAIN}\n` +
          `last-event-timestamp: 3 of 3 files read (2 skipped: 1 ${GZIP}, 1 ${PLAIN})\n`,
      );
      const window = ["--from", "2024-03-01T09:00Z", "--to", "2024-03-01T11:00Z", "--format", "json"];
      for (const workers of ["0", "2"]) {
        const changes = await runCli(["changes", "--log-dir", dir, ...window, "--workers", workers]);
        assert.equal(changes.code, 0, changes.stderr);
        const report = JSON.parse(changes.stdout);
        assert.deepEqual(report.events.map((e: { eventName: string }) => e.eventName), ["RunInstances"]);
        assert.deepEqual(report.metadata.skipped, { [PLAIN]: 1, [GZIP]: 1 });
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("select and last-event-timestamp: a sparse plain log file of 300 MiB is refused at the default limit", async () => {
  const dir = await Deno.makeTempDir();
  const day = dayDir("2024-03-01");
  writeLog(dir, `${day}/${logName("20240301T0955Z", "good")}`, [record("2024-03-01T09:50:00Z", ROLE, "RunInstances")]);
  const sparse = `${dir}/${day}/${logName("20240301T1005Z", "sparse").replace(/\.gz$/, "")}`;
  const reason = "over the log file limit of 256 MiB uncompressed";
  try {
    Deno.writeFileSync(sparse, new TextEncoder().encode(`{"Records":[`));
    await Deno.truncate(sparse, 300 << 20);
    const r = await runCli(["select", "--log-dir", dir, "--workers", "0"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      `warning: skipped "${sparse}": ${reason}\nselect: 2 log files read (1 skipped: 1 ${reason}); 1 records matched\n`,
    );
    const newest = await runCli(["last-event-timestamp", "--log-dir", dir]);
    assert.equal(newest.stdout, "2024-03-01 09:50:00+00:00\n");
    assert.match(newest.stderr, new RegExp(`\\(1 skipped: 1 ${reason}\\)\n$`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("validate --log-dir: a named log file past the limit on disk is refused before it is read", async () => {
  const signer = makeSigner();
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: "b", signer });
  const logs = [
    trail.log("2024-03-01T00:05:00Z", "small"),
    trail.log("2024-03-01T00:35:00Z", "plain"),
    trail.log("2024-03-01T00:45:00Z", "gzip"),
  ];
  trail.digest("2024-03-01T01:17:00Z", logs);
  const local = await Deno.makeTempDir();
  const keys = await Deno.makeTempFile({ suffix: ".json" });
  try {
    writeTree(objects, local, "b");
    // Put in place after signing: the digest names them, their content is the attack.
    Deno.writeFileSync(`${local}/${logs[1]}`, paddedText([], 2 << 20));
    Deno.writeFileSync(`${local}/${logs[2]}`, gzipLooking(2 << 20));
    await Deno.writeTextFile(keys, JSON.stringify(publicKeyList([signer])));
    const args = ["validate", "--log-dir", local, "--public-keys", keys, "--account-id", "111122223333"];
    const window = ["--region", "eu-west-1", "--from", "2024-03-01T00:00:00Z", "--to", "2024-03-01T00:59:59Z"];
    await withLowLimit(async () => {
      const r = await runCli([...args, ...window, "--format", "json"]);
      assert.equal(r.code, 1, r.stderr);
      const files = (JSON.parse(r.stdout) as { files: { key: string; state: string; reason?: string }[] }).files;
      const state = (key: string) => files.find((f) => f.key.endsWith(key));
      assert.equal(state(logs[0]!)?.state, "valid");
      assert.deepEqual([state(logs[1]!)?.state, state(logs[1]!)?.reason], ["modified", PLAIN]);
      assert.deepEqual([state(logs[2]!)?.state, state(logs[2]!)?.reason], ["modified", GZIP]);
    });
  } finally {
    await Deno.remove(local, { recursive: true });
    await Deno.remove(keys);
  }
});

Deno.test("validate --bucket: a named S3 log file past the limit is not downloaded past it", async () => {
  const signer = makeSigner();
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: "trail-bucket", signer });
  const logs = [
    trail.log("2024-03-01T00:05:00Z", "small"),
    trail.log("2024-03-01T00:35:00Z", "plain"),
    trail.log("2024-03-01T00:45:00Z", "gzip"),
  ];
  trail.digest("2024-03-01T01:17:00Z", logs);
  objects.set(logs[1]!, { body: paddedText([], 2 << 20) });
  objects.set(logs[2]!, { body: gzipLooking(2 << 20) });
  const s3 = await startS3Peer();
  const ct = startCloudTrailPeer({ events: {}, publicKeys: publicKeyList([signer]).PublicKeyList });
  try {
    await s3.client.send(new CreateBucketCommand({ Bucket: "trail-bucket" }));
    await uploadObjects(s3.client, "trail-bucket", objects);
    const args = ["validate", "--bucket", "trail-bucket", "--account-id", "111122223333", "--region", "eu-west-1"];
    const window = ["--from", "2024-03-01T00:00:00Z", "--to", "2024-03-01T00:59:59Z", "--endpoint-url", s3.endpoint];
    await withLowLimit(async () => {
      const r = await runCli([...args, ...window, "--format", "json"], {
        env: { AWS_ENDPOINT_URL_CLOUDTRAIL: ct.endpoint },
      });
      assert.equal(r.code, 1, r.stderr);
      const files = (JSON.parse(r.stdout) as { files: { key: string; state: string; reason?: string }[] }).files;
      const state = (key: string) => files.find((f) => f.key.endsWith(key));
      assert.equal(state(logs[0]!)?.state, "valid");
      assert.deepEqual([state(logs[1]!)?.state, state(logs[1]!)?.reason], ["modified", PLAIN]);
      assert.deepEqual([state(logs[2]!)?.state, state(logs[2]!)?.reason], ["modified", GZIP]);
    });
  } finally {
    await s3.stop();
    await ct.stop();
  }
});

Deno.test("validate: a digest file larger than the digest limit is not read past it (a local copy)", async () => {
  const signer = makeSigner();
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: "trail-bucket", signer });
  const logs = [trail.log("2024-03-01T00:05:00Z", "small")];
  const digest = trail.digest("2024-03-01T01:17:00Z", logs);
  const local = await Deno.makeTempDir();
  const keys = await Deno.makeTempFile({ suffix: ".json" });
  // A real digest with zeros after it (gunzip passes over them: the digest alone would be valid), larger than the limit.
  const reason = "invalid format: over the digest limit of 64 MiB compressed";
  const stateOf = (stdout: string) => {
    const files = (JSON.parse(stdout) as { files: { key: string; state: string; reason?: string }[] }).files;
    const found = files.find((f) => f.key.endsWith(digest));
    return [found?.state, found?.reason];
  };
  const window = ["--region", "eu-west-1", "--from", "2024-03-01T00:00:00Z", "--to", "2024-03-01T00:59:59Z"];
  try {
    writeTree(objects, local, "trail-bucket");
    await Deno.truncate(`${local}/${digest}`, 100 << 20); // sparse: 100 MiB that cost no disk
    await Deno.writeTextFile(keys, JSON.stringify(publicKeyList([signer])));
    const offline = await runCli([
      ...["validate", "--log-dir", local, "--public-keys", keys, "--account-id", "111122223333"],
      ...window,
      "--format",
      "json",
    ]);
    assert.equal(offline.code, 1, offline.stderr);
    assert.deepEqual(stateOf(offline.stdout), ["signature-invalid", reason]);
  } finally {
    await Deno.remove(local, { recursive: true });
    await Deno.remove(keys);
  }
});
