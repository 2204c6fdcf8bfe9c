/** Records that are not objects are never archived; every one is counted by reason in the summary. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { syncStep } from "../../src/steps/sync_step.ts";
import { runCli } from "../helpers/fake_io.ts";
import { logName, record } from "../helpers/log_tree.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { readArchive, SYNC_BUCKET, syncArgs } from "../helpers/sync_bucket.ts";

const day = "AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01";

function event(id: string) {
  return { ...record("2024-03-01T10:00:00Z"), eventID: id, awsRegion: "eu-west-1", recipientAccountId: "111122223333" };
}

Deno.test('sync: 5, null, "str", [1] and true inside Records are skipped and counted; only objects are archived', async () => {
  const peer = await startS3Peer();
  try {
    const dir = await Deno.makeTempDir();
    const root = join(dir, "bucket");
    await Deno.mkdir(join(root, day), { recursive: true });
    const files: [string, unknown[]][] = [
      ["Mixed1", [event("a"), 5, null, "str", [1], true]],
      ["Numbers2", [7, event("b")]],
      ["Ordinary3", [event("c"), event("d")]],
    ];
    for (const [name, records] of files) {
      await Deno.writeFile(
        join(root, day, logName("20240301T1000Z", name, "111122223333", "eu-west-1")),
        gzipSync(new TextEncoder().encode(JSON.stringify({ Records: records }))),
      );
    }
    await peer.upload(SYNC_BUCKET, root);
    const r = await runCli(syncArgs(["--bucket", SYNC_BUCKET], dir, peer.endpoint));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /; 4 events written, 0 duplicates dropped, 6 records skipped \(6 not an object\) in /);
    const archive = await readArchive(join(dir, "events"));
    assert.deepEqual(archive.keys.sort(), ["a", "b", "c", "d"].map((id) => `111122223333/eu-west-1/2024-03-01 ${id}`));
    assert.deepEqual([...Deno.readDirSync(join(dir, "events"))].map((e) => e.name), ["account=111122223333"]);
    // A laid-out file whose last slice is not an object takes the careful path, with the same counts.
    await peer.client.send(
      new PutObjectCommand({
        Bucket: SYNC_BUCKET,
        Key: `${day}/${logName("20240301T1100Z", "Tail4", "111122223333", "eu-west-1")}`,
        Body: gzipSync(new TextEncoder().encode(`{"Records":[${JSON.stringify(event("e"))},{"eventVersion":"1"},5]}`)),
      }),
    );
    const again = await runCli(syncArgs(["--bucket", SYNC_BUCKET], dir, peer.endpoint));
    assert.match(
      again.stderr,
      /; 2 events written, 0 duplicates dropped, 1 without eventID \(keyed by a hash\), 1 records skipped \(1 not an object\) in /,
    );
  } finally {
    await peer.stop();
  }
});

Deno.test("syncStep: a record that is not an object never becomes a line, on the fast path or the careful one", () => {
  const text = `{"Records":[{"eventVersion":"1","eventID":"x"},{"eventVersion":"1","eventID":"y"}]}`;
  const fast = syncStep.apply({ text, format: "records" }, {});
  assert.ok(fast.ok);
  assert.equal(fast.out.partitions.flatMap((p) => p.keys).length, 2);
  const careful = syncStep.apply({ text: `{"Records":[null,{"eventID":"z"},[2],"s"]}`, format: "records" }, {});
  assert.ok(careful.ok);
  assert.deepEqual(careful.skipped, { "not an object": 3 });
  assert.deepEqual(careful.out.partitions.flatMap((p) => p.keys), ["z"]);
});

Deno.test("syncStep: a record holding the record separator in a nested object is still one line, byte for byte", () => {
  const records = [
    { eventVersion: "1", eventID: "a", requestParameters: { items: [{ x: 1 }, { eventVersion: "2", y: [1] }] } },
    { eventVersion: "1", eventID: "b", awsRegion: "eu-west-1", n: 1.50 },
  ];
  const text = `{"Records":[${records.map((r) => JSON.stringify(r)).join(",")}]}`;
  const bytes = new TextEncoder().encode(text);
  const result = syncStep.apply({ text, format: "records", bytes }, {});
  assert.ok(result.ok);
  const lines = result.out.partitions.flatMap((p) => new TextDecoder().decode(p.bytes).split("\n").filter((l) => l));
  assert.deepEqual(lines, records.map((r) => JSON.stringify(r)));
  assert.deepEqual(result.out.partitions.flatMap((p) => p.keys), ["a", "b"]);
});

Deno.test("sync: a record nested 100,000 deep is skipped and counted, its file's other records archived; a broken file is not", async () => {
  const peer = await startS3Peer();
  try {
    const dir = await Deno.makeTempDir();
    const root = join(dir, "bucket");
    await Deno.mkdir(join(root, day), { recursive: true });
    const deep = `{"eventVersion":"1.08","eventID":"deep","a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const texts: [string, string][] = [
      // As CloudTrail lays a file out, and pretty-printed (the path that parses every record).
      ["Laid1", `{"Records":[${JSON.stringify(event("a"))},${deep},${JSON.stringify(event("b"))}]}`],
      ["Pretty2", `{"Records": [\n${JSON.stringify(event("c"))},\n${deep},\n${JSON.stringify(event("d"))}\n]}`],
      // A document that gunzips but is not JSON (a comma missing inside a record): failed, nothing archived from it.
      ["Broken3", `{"Records":[${JSON.stringify(event("e"))},${JSON.stringify(event("f")).replace(",", "")}]}`],
    ];
    for (const [name, text] of texts) {
      await Deno.writeFile(
        join(root, day, logName("20240301T1000Z", name, "111122223333", "eu-west-1")),
        gzipSync(new TextEncoder().encode(text)),
      );
    }
    await peer.upload(SYNC_BUCKET, root);
    const args = syncArgs(["--bucket", SYNC_BUCKET], dir, peer.endpoint);
    const r = await runCli(args);
    assert.equal(r.code, 1, r.stderr); // the broken file only
    assert.match(r.stderr, /warning: s3:\/\/.*_Broken3\.json\.gz: invalid JSON\n/);
    assert.doesNotMatch(r.stderr, /Laid1|Pretty2/);
    assert.match(
      r.stderr,
      /3 files .* 1 failed, .*; 4 events written, 0 duplicates dropped, 2 records skipped \(2 nested too deeply \(over 1000 levels\)\) in /,
    );
    const archive = await readArchive(join(dir, "events"));
    assert.deepEqual(archive.keys.sort(), ["a", "b", "c", "d"].map((id) => `111122223333/eu-west-1/2024-03-01 ${id}`));
    const again = await runCli(args);
    assert.match(
      again.stderr,
      / 1 files .* 1 failed, \d+ already done; 0 events written/,
      `only the broken file again: ${again.stderr}`,
    );
  } finally {
    await peer.stop();
  }
});
