import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import {
  makeSigner,
  publicKeyList,
  SignedTrail,
  tamper,
  type TreeObject,
  uploadObjects,
} from "../../scripts/signed_tree.ts";
import { startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import { runCli } from "../helpers/fake_io.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { syncArgs } from "../helpers/sync_bucket.ts";

const BUCKET = "trail-bucket";
const HOUR = 3_600_000;

Deno.test("sync --validate: every archived file's state lands in the state DB's file_states; exit 1 when one is not valid", async () => {
  const signer = makeSigner();
  const objects = new Map<string, TreeObject>();
  const logs: string[] = [];
  const digests: string[] = [];
  for (const region of ["eu-west-1", "us-east-1"]) {
    const trail = new SignedTrail(objects, { bucket: BUCKET, signer, region });
    for (let h = 0; h < 4; h++) {
      const start = Date.parse("2024-03-01T00:00:00Z") + h * HOUR;
      const hour = [trail.log(new Date(start + 5 * 60_000).toISOString(), `h${h}r${region.length}`, [{
        eventID: `${region}-${h}`,
        eventTime: new Date(start).toISOString(),
        eventName: "DescribeInstances",
        eventSource: "ec2.amazonaws.com",
        awsRegion: region,
        recipientAccountId: "111122223333",
      }])];
      logs.push(...hour);
      digests.push(trail.digest(new Date(start + HOUR).toISOString(), hour)); // covers the hour before its end
    }
  }
  tamper(objects, logs[1]!, JSON.stringify({ Records: [{ eventID: "forged", eventTime: "2024-03-01T01:00:00Z" }] }));
  const s3 = await startS3Peer({ fault: () => undefined }); // through the proxy, to count the requests
  const ct = startCloudTrailPeer({ events: {}, publicKeys: publicKeyList([signer]).PublicKeyList });
  try {
    await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await uploadObjects(s3.client, BUCKET, objects);
    const dir = await Deno.makeTempDir();
    const r = await runCli([...syncArgs(["--bucket", BUCKET], dir, s3.endpoint), "--validate"], {
      env: { AWS_ENDPOINT_URL_CLOUDTRAIL: ct.endpoint },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /sync --validate: 2 account\/regions, 8 digests \(8 valid\), 8 log files \(7 valid, 1 modified\), 0 unreadable in [\d.]+ s \(states in .*s\.db, table file_states\)\nerror: 1 archived files are not valid or could not be read\n$/,
    );
    const db = new DatabaseSync(join(dir, "s.db"));
    const rows = db.prepare("SELECT key, kind, state FROM file_states ORDER BY key").all() as {
      key: string;
      kind: string;
      state: string;
    }[];
    // Every archived log file has a state, joined to sync's own ledger.
    const joined = db.prepare(
      "SELECT count(*) AS n FROM files f JOIN file_states v USING (bucket, key) WHERE f.status = 'done'",
    ).get() as { n: number };
    db.close();
    assert.equal(joined.n, 8);
    assert.deepEqual(rows.filter((x) => x.state !== "valid").map((x) => [x.key, x.state]), [[logs[1], "modified"]]);
    assert.equal(rows.filter((x) => x.kind === "digest").length, digests.length);
    // Only the ListPublicKeys of the two regions, once each.
    assert.deepEqual(ct.requests.map((q) => q.region).sort(), ["eu-west-1", "us-east-1"]);
    // Again: only the unit whose file is not valid is checked again; the one all valid is not.
    s3.requests.length = 0;
    const again = await runCli([...syncArgs(["--bucket", BUCKET], dir, s3.endpoint), "--validate"], {
      env: { AWS_ENDPOINT_URL_CLOUDTRAIL: ct.endpoint },
    });
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, /sync --validate: 1 account\/region, 1 digests \(1 valid\), 1 log files \(1 modified\)/);
    const other = logs[1]!.includes("eu-west-1") ? "us-east-1" : "eu-west-1";
    const gets = s3.requests.filter((q) => q.startsWith("GET ") && !q.includes("list-type"));
    assert.ok(gets.length > 0);
    assert.deepEqual(gets.filter((q) => q.includes(`/${other}/`)), [], "no object of the valid unit is read again");
  } finally {
    await s3.stop();
    await ct.stop();
  }
});

Deno.test("sync --validate: once every archived file is valid, a rerun checks nothing again and exits 0", async () => {
  const signer = makeSigner();
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: BUCKET, signer, region: "eu-west-1" });
  const start = Date.parse("2024-03-01T00:00:00Z");
  const hour = [trail.log(new Date(start + 5 * 60_000).toISOString(), "h0", [{
    eventID: "e0",
    eventTime: new Date(start).toISOString(),
    eventName: "DescribeInstances",
    eventSource: "ec2.amazonaws.com",
    awsRegion: "eu-west-1",
    recipientAccountId: "111122223333",
  }])];
  trail.digest(new Date(start + HOUR).toISOString(), hour);
  const s3 = await startS3Peer({ fault: () => undefined });
  const ct = startCloudTrailPeer({ events: {}, publicKeys: publicKeyList([signer]).PublicKeyList });
  try {
    await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await uploadObjects(s3.client, BUCKET, objects);
    const dir = await Deno.makeTempDir();
    const args = [...syncArgs(["--bucket", BUCKET], dir, s3.endpoint), "--validate"];
    const env = { AWS_ENDPOINT_URL_CLOUDTRAIL: ct.endpoint };
    const first = await runCli(args, { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /sync --validate: 1 account\/region, 1 digests \(1 valid\), 1 log files \(1 valid\)/);
    s3.requests.length = 0;
    const again = await runCli(args, { env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /sync --validate: 0 account\/regions, /);
    assert.deepEqual(s3.requests.filter((q) => q.startsWith("GET ") && !q.includes("list-type")), []);
  } finally {
    await s3.stop();
    await ct.stop();
  }
});

Deno.test("sync --validate: an archived log file whose digest is not due yet awaits it (exit 0) and is checked again next run", async () => {
  const signer = makeSigner();
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: BUCKET, signer, region: "eu-west-1" });
  const record = (id: string, at: string) => [{
    eventID: id,
    eventTime: at,
    eventName: "DescribeInstances",
    eventSource: "ec2.amazonaws.com",
    awsRegion: "eu-west-1",
    recipientAccountId: "111122223333",
  }];
  const first = trail.log("2024-03-01T00:05:00Z", "h0", record("e0", "2024-03-01T00:01:00Z"));
  trail.digest("2024-03-01T01:00:00Z", [first]);
  const fresh = trail.log("2024-03-01T01:20:00Z", "h1", record("e1", "2024-03-01T01:15:00Z"));
  const s3 = await startS3Peer();
  const ct = startCloudTrailPeer({ events: {}, publicKeys: publicKeyList([signer]).PublicKeyList });
  try {
    await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await uploadObjects(s3.client, BUCKET, objects);
    const dir = await Deno.makeTempDir();
    const args = [...syncArgs(["--bucket", BUCKET], dir, s3.endpoint), "--validate"];
    const env = { AWS_ENDPOINT_URL_CLOUDTRAIL: ct.endpoint };
    const r = await runCli(args, { env, clock: new VirtualClock(Date.parse("2024-03-01T01:40:00Z")) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /2 log files \(1 valid, 1 awaiting-digest\)/);
    assert.match(
      r.stderr,
      /\nsync --validate: 1 log file awaits its digest \(CloudTrail delivers one about every hour\): run again after 2024-03-01T03:20:00Z\n$/,
    );
    const stateOf = (key: string) => {
      const db = new DatabaseSync(join(dir, "s.db"));
      const row = db.prepare("SELECT state FROM file_states WHERE key = ?").get(key) as { state: string };
      db.close();
      return row.state;
    };
    assert.equal(stateOf(fresh), "awaiting-digest");
    // The digest comes; the next run checks the unit again and finds the file valid.
    const next = trail.digest("2024-03-01T02:00:00Z", [fresh]);
    await uploadObjects(s3.client, BUCKET, new Map([[next, objects.get(next)!]]));
    const again = await runCli(args, { env, clock: new VirtualClock(Date.parse("2024-03-01T02:10:00Z")) });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(stateOf(fresh), "valid");
  } finally {
    await s3.stop();
    await ct.stop();
  }
});
