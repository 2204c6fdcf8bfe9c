/**
 * `sync --rebuild-state` keeps what `sync --validate` recorded in the old state DB: the states of S3 files (a log file
 * found modified, a digest found valid) are not in the archive and cannot come back once the digests expire.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CreateBucketCommand, DeleteObjectCommand } from "@aws-sdk/client-s3";
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
import { startS3Peer } from "../helpers/s3_peer.ts";
import { syncArgs } from "../helpers/sync_bucket.ts";

const BUCKET = "trail-bucket";
const HOUR = 3_600_000;

/** The rows of `file_states` in the state DB at `path` (none when the table is not there). */
function fileStates(path: string): string[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare("SELECT key, kind, state, reason, checked_at FROM file_states ORDER BY key").all();
    return rows.map((r) => JSON.stringify(r));
  } catch {
    return [];
  } finally {
    db.close();
  }
}

Deno.test("sync --rebuild-state keeps the old state DB's validation states, also once the digests are gone", async () => {
  const signer = makeSigner();
  const objects = new Map<string, TreeObject>();
  const logs: string[] = [];
  const digests: string[] = [];
  const trail = new SignedTrail(objects, { bucket: BUCKET, signer, region: "eu-west-1" });
  for (let h = 0; h < 3; h++) {
    const start = Date.parse("2024-03-01T00:00:00Z") + h * HOUR;
    const hour = [trail.log(new Date(start + 5 * 60_000).toISOString(), `h${h}`, [{
      eventID: `event-${h}`,
      eventTime: new Date(start).toISOString(),
      eventName: "DescribeInstances",
      eventSource: "ec2.amazonaws.com",
      awsRegion: "eu-west-1",
      recipientAccountId: "111122223333",
    }])];
    logs.push(...hour);
    digests.push(trail.digest(new Date(start + HOUR).toISOString(), hour));
  }
  tamper(objects, logs[1]!, JSON.stringify({ Records: [{ eventID: "forged", eventTime: "2024-03-01T01:00:00Z" }] }));
  const s3 = await startS3Peer();
  const ct = startCloudTrailPeer({ events: {}, publicKeys: publicKeyList([signer]).PublicKeyList });
  try {
    await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await uploadObjects(s3.client, BUCKET, objects);
    const dir = await Deno.makeTempDir();
    const args = syncArgs(["--bucket", BUCKET], dir, s3.endpoint);
    const env = { env: { AWS_ENDPOINT_URL_CLOUDTRAIL: ct.endpoint } };
    assert.equal((await runCli([...args, "--validate"], env)).code, 1); // the modified log file
    const states = fileStates(join(dir, "s.db"));
    assert.equal(states.length, logs.length + digests.length);
    assert.ok(states.some((s) => s.includes(logs[1]!) && s.includes('"modified"')));
    // The digests expire; the state is rebuilt from the archive.
    for (const key of digests) await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    const rebuilt = await runCli([...args, "--rebuild-state"], env);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(rebuilt.stderr, new RegExp(`; ${states.length} validation states kept\\); every listed`));
    assert.deepEqual(fileStates(join(dir, "s.db")), states, "every state, as it was recorded");
  } finally {
    await s3.stop();
    await ct.stop();
  }
});
