import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { SYNC_BUCKET, syncArgs } from "../helpers/sync_bucket.ts";

async function filesBelow(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(join(dir, e.name));
      else out.push(join(dir, e.name).slice(root.length + 1));
    }
  };
  await walk(root);
  return out.sort();
}

Deno.test("sync: hostile account, region and date values in records never lead outside --events-dir", async () => {
  const hostile: [string, unknown][] = [
    ["recipientAccountId", "../../../../escape"],
    ["recipientAccountId", ".."],
    ["recipientAccountId", "a/b"],
    ["recipientAccountId", "a\\..\\..\\b"],
    ["recipientAccountId", "x\0y"],
    ["awsRegion", "../../../escape"],
    ["awsRegion", "."],
    ["awsRegion", ""],
    ["awsRegion", { "..": 1 }],
    ["awsRegion", "r".repeat(300)],
    ["eventTime", "../../2024-03-01T10:00:00Z"],
    ["eventTime", "2024-03-01/../../../x"],
  ];
  const records = hostile.map(([field, value], i) => ({
    ...record("2024-03-01T09:55:00Z"),
    awsRegion: "eu-west-1",
    recipientAccountId: "111122223333",
    eventID: `hostile-${i}`,
    [field]: value,
  }));
  const source = await Deno.makeTempDir();
  writeLog(source, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, records);
  const peer = await startS3Peer();
  try {
    await peer.upload(SYNC_BUCKET, source);
    const base = await Deno.makeTempDir();
    const r = await runCli(syncArgs(["--bucket", SYNC_BUCKET], base, peer.endpoint));
    assert.equal(r.code, 0, r.stderr);
    const files = await filesBelow(base);
    const parts = files.filter((f) => !f.startsWith("s.db"));
    assert.ok(parts.length > 0 && parts.every((f) => f.startsWith("events/account=")), parts.join("\n"));
    for (const f of parts) {
      for (const segment of f.split("/")) assert.ok(segment.length <= 255 && !/^\.\.?$/.test(segment), f);
    }
    // A value that cannot be a folder name goes to `unknown`: every record is kept in the archive, none outside it.
    const lines = (await Promise.all(parts.map((f) => Deno.readTextFile(join(base, f))))).join("").trim().split("\n");
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).eventID).sort(),
      records.map((x) => x.eventID).sort(),
    );
  } finally {
    await peer.stop();
  }
});
