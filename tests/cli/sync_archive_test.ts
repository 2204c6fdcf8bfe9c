/** The sync archive as users query it: DuckDB over the Hive folders, select | generate, gzip parts; Ctrl-C; sync init. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parseSyncConfig } from "../../src/core/sync/sync_config.ts";
import { InterruptSwitch, runCli } from "../helpers/fake_io.ts";
import { startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { bothTrailsConfig, makeSyncBucket, readArchive, SYNC_BUCKET, syncArgs } from "../helpers/sync_bucket.ts";

async function synced(extra: string[] = []) {
  const bucket = await makeSyncBucket({ filesPerDay: 2 });
  const peer = await startS3Peer();
  await peer.upload(SYNC_BUCKET, bucket.root);
  const dir = await Deno.makeTempDir();
  const events = join(dir, "events");
  const config = await bothTrailsConfig(dir);
  const args = [...syncArgs(["--config", config], dir, peer.endpoint, events), ...extra];
  const r = await runCli(args);
  await peer.stop();
  return { bucket, events, r };
}

Deno.test("sync archive: DuckDB reads it as a table with account, region and date columns from the folders", async () => {
  const { bucket, events, r } = await synced();
  assert.equal(r.code, 1, r.stderr); // the corrupt file
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  const result = await connection.runAndReadAll(
    `select account, region, date, count(*) as n from read_json_auto('${events}/**/*.jsonl', hive_partitioning = true)
     group by all order by all`,
  );
  const rows = result.getRowObjects().map((row) =>
    `${row.account}/${row.region}/${String(row.date).slice(0, 10)}=${Number(row.n)}`
  );
  // Every partition of the bucket (the prefixed trail's events are copies of the root trail's, so all are there).
  assert.deepEqual(rows, [...bucket.partitions].map(([p, n]) => `${p}=${n}`).sort());
  connection.closeSync();
});

Deno.test("sync archive: select --log-dir reads it and generate makes a policy of it; --compress gzip writes .jsonl.gz", async () => {
  const plain = await synced();
  const gzip = await synced(["--compress", "gzip"]);
  const role = "arn:aws:iam::111122223333:role/ci-deploy";
  const fromPlain = await runCli([
    "select",
    "--log-dir",
    plain.events,
    "--filter-assumed-role-arn",
    role,
    "--format",
    "jsonl",
  ]);
  const fromGzip = await runCli([
    "select",
    "--log-dir",
    gzip.events,
    "--filter-assumed-role-arn",
    role,
    "--format",
    "jsonl",
  ]);
  assert.equal(fromPlain.code, 0, fromPlain.stderr);
  assert.ok(fromPlain.stdout.split("\n").length > 50);
  assert.equal(fromGzip.stdout, fromPlain.stdout);
  const policy = await runCli(["generate"], { stdin: fromPlain.stdout });
  assert.equal(policy.code, 0, policy.stderr);
  assert.ok(JSON.parse(policy.stdout).Statement.length > 3);
  const archived = await readArchive(gzip.events);
  assert.equal(archived.keys.length, gzip.bucket.keys.size);
  for await (const e of Deno.readDir(join(gzip.events, "account=111122223333/region=us-east-1/date=2024-03-01"))) {
    assert.match(e.name, /^part-\d+\.jsonl\.gz$/);
  }
});

Deno.test("sync: Ctrl-C stops at once with exit 130; what was committed stays, a rerun completes the archive", async () => {
  const bucket = await makeSyncBucket({ filesPerDay: 4 });
  const interrupt = new InterruptSwitch();
  let objectGets = 0;
  // Ctrl-C when the run asks for its third log file: mid-run on any machine, whatever its speed (no timer).
  const pressOnThirdGet = (request: Request, url: URL) => {
    if (request.method === "GET" && !url.search.includes("list-type") && ++objectGets === 3) interrupt.press();
    return undefined;
  };
  const peer = await startS3Peer({ slowBodyMs: 20, fault: pressOnThirdGet });
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    const dir = await Deno.makeTempDir();
    const config = ["--config", await bothTrailsConfig(dir)];
    const args = [...syncArgs(config, dir, peer.endpoint, join(dir, "e")), "--download-workers", "2"];
    const stopped = await runCli(args, { interrupt });
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /interrupted: sync stopped; everything written is committed, rerun to resume\n$/);
    const partial = await readArchive(join(dir, "e"));
    assert.ok(partial.keys.length < bucket.keys.size);
    const rest = await runCli(args);
    assert.equal(rest.code, 1, rest.stderr); // the corrupt file
    const all = await readArchive(join(dir, "e"));
    assert.equal(all.keys.length, bucket.keys.size);
    assert.deepEqual(new Set(all.keys), bucket.keys);
  } finally {
    await peer.stop();
  }
});

Deno.test("sync init: one entry per trail from DescribeTrails in every region (shadow copies once), no overwrite", async () => {
  const org = {
    Name: "org-trail",
    TrailARN: "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail",
    S3BucketName: "org-logs",
    S3KeyPrefix: "org",
    IsOrganizationTrail: true,
    IsMultiRegionTrail: true,
    HomeRegion: "us-east-1",
  };
  const local = {
    Name: "eu-only",
    TrailARN: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-only",
    S3BucketName: "eu-logs",
    HomeRegion: "eu-west-1",
  };
  const peer = startCloudTrailPeer({
    events: {},
    trails: { "us-east-1": [org], "eu-west-1": [org, local], "ap-south-1": [org] },
  });
  try {
    const dir = await Deno.makeTempDir();
    const file = join(dir, "sync.jsonc");
    const regions = ["us-east-1", "eu-west-1", "ap-south-1"].flatMap((r) => ["--region", r]);
    const r = await runCli(["sync", "init", file, ...regions, "--endpoint-url", peer.endpoint]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `sync init: 2 trails from 3 regions written to ${file}\n`);
    const text = await Deno.readTextFile(file);
    assert.match(text, /\{ "name": "eu-only", "bucket": "eu-logs", "prefix": "" \}/);
    assert.match(text, /\{ "name": "org-trail", "bucket": "org-logs", "prefix": "org" \}/);
    assert.match(text, /"download_workers": 50, \/\/ S3 downloads in flight/);
    const parsed = parseSyncConfig(text);
    assert.ok(parsed.ok && parsed.config.trails.length === 2 && parsed.notes.length === 0);
    const again = await runCli(["sync", "init", file, ...regions, "--endpoint-url", peer.endpoint]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^error: ".*sync\.jsonc" exists; pass --force to overwrite it\n/);
    const forced = await runCli(["sync", "init", file, "--force", ...regions, "--endpoint-url", peer.endpoint]);
    assert.equal(forced.code, 0, forced.stderr);
  } finally {
    await peer.stop();
  }
});
