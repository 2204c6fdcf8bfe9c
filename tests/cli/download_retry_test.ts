import assert from "node:assert/strict";
import { join } from "node:path";
import { S3_ATTEMPTS } from "../../src/sources/s3_objects.ts";
import { systemClock } from "../../src/sources/system_clock.ts";
import { InterruptSwitch, runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";
import { s3Error, startS3Peer } from "../helpers/s3_peer.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";

const BUCKET = "trail-logs";
const DAY = dayDir("2024-03-01");

function args(endpoint: string, logDir: string): string[] {
  return [
    "download",
    "--bucket",
    BUCKET,
    "--account-id",
    "111122223333",
    "--region",
    "eu-west-1",
    "--from",
    "2024-03-01",
    "--to",
    "2024-03-01T23:59:59Z",
    "--log-dir",
    logDir,
    "--endpoint-url",
    endpoint,
  ];
}

async function twoLogs(): Promise<string> {
  const source = await Deno.makeTempDir();
  writeLog(source, `${DAY}/${logName("20240301T1000Z", "good")}`, [record("2024-03-01T09:55:00Z")]);
  writeLog(source, `${DAY}/${logName("20240301T1005Z", "bad")}`, [record("2024-03-01T10:00:00Z")]);
  return source;
}

Deno.test("download: one retry layer, so a file that always fails costs at most S3_ATTEMPTS GETs; the others arrive", async () => {
  const peer = await startS3Peer({
    fault: (request, url) =>
      request.method === "GET" && url.pathname.includes("_bad.json.gz") ? s3Error(500, "InternalError") : undefined,
  });
  try {
    await peer.upload(BUCKET, await twoLogs());
    const logDir = await Deno.makeTempDir();
    const clock = new VirtualClock();
    const r = await runCli(args(peer.endpoint, logDir), { clock });
    assert.equal(r.code, 1);
    const gets = peer.requests.filter((q) => q.startsWith("GET") && q.includes("_bad.json.gz"));
    assert.equal(gets.length, S3_ATTEMPTS);
    assert.equal(clock.sleeps.length, S3_ATTEMPTS - 1, "one backoff between attempts, on the injected clock");
    assert.match(r.stderr, /warning: downloading s3:\/\/trail-logs\/.*_bad\.json\.gz failed: InternalError/);
    assert.match(r.stderr, /1 downloaded \(0\.0 MB\), 0 already there, 1 failed/);
    assert.match(r.stderr, /error: 1 of 2 log files could not be downloaded\n$/);
  } finally {
    await peer.stop();
  }
});

Deno.test("download: Ctrl-C during a backoff exits 130 at once, with no partial file", async () => {
  const peer = await startS3Peer({
    fault: (request, url) =>
      request.method === "GET" && !url.search.includes("list-type") ? s3Error(503, "SlowDown") : undefined,
  });
  try {
    await peer.upload(BUCKET, await twoLogs());
    const logDir = await Deno.makeTempDir();
    const interrupt = new InterruptSwitch();
    // Real timers, but every backoff a minute long: only an abort-aware sleep ends in time.
    const clock = {
      now: () => systemClock.now(),
      sleep: (_ms: number, signal?: AbortSignal) => {
        interrupt.press();
        return systemClock.sleep(60_000, signal);
      },
    };
    const started = performance.now();
    const r = await runCli(args(peer.endpoint, logDir), { clock, interrupt });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.code, 130, r.stderr);
    assert.ok(seconds < 10, `took ${seconds.toFixed(1)} s`);
    assert.match(r.stderr, /interrupted: download stopped; no partial file was left, rerun to resume\n$/);
    for await (const e of Deno.readDir(join(logDir, DAY))) assert.fail(`left ${e.name}`);
  } finally {
    await peer.stop();
  }
});

Deno.test({
  name: "download: a local file it may not check is reported and counted as failed, not silently downloaded again",
  permissions: { read: [Deno.cwd(), "/tmp"], write: true, net: ["127.0.0.1", "0.0.0.0"], env: true, sys: true },
  async fn() {
    const peer = await startS3Peer();
    try {
      await peer.upload(BUCKET, await twoLogs());
      const logDir = await Deno.makeTempDir({ dir: "/var/tmp" });
      const r = await runCli(args(peer.endpoint, logDir));
      assert.equal(r.code, 1);
      assert.match(r.stderr, /warning: cannot check ".*_good\.json\.gz": Requires read access/);
      assert.match(r.stderr, /0 downloaded \(0\.0 MB\), 0 already there, 2 failed/);
      assert.equal(peer.requests.filter((q) => q.startsWith("GET /trail-logs/AWSLogs")).length, 0);
    } finally {
      await peer.stop();
    }
  },
});

Deno.test("download: a day folder it cannot clean up is reported, not ignored", async () => {
  const peer = await startS3Peer();
  try {
    await peer.upload(BUCKET, await twoLogs());
    const logDir = await Deno.makeTempDir();
    await Deno.mkdir(join(logDir, DAY, ".."), { recursive: true });
    await Deno.writeTextFile(join(logDir, DAY), "a file where the day folder goes");
    const r = await runCli(args(peer.endpoint, logDir));
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`warning: cannot clean up "${join(logDir, DAY)}/": Not a directory`));
  } finally {
    await peer.stop();
  }
});
