import assert from "node:assert/strict";
import { planAppends } from "../../../src/core/sync/archive_plan.ts";
import { ListingCursor, resumeAfter } from "../../../src/core/aws/listing_cursor.ts";
import { dedupeBatch, linesPerPartition } from "../../../src/core/sync/sync_batch.ts";
import { parseSyncConfig, renderSyncConfig, SYNC_DEFAULTS } from "../../../src/core/sync/sync_config.ts";
import { archivePartitionOf, dedupKey, type SyncOut } from "../../../src/core/sync/sync_partition.ts";
import { trailsToSync } from "../../../src/core/sync/trail_list.ts";

Deno.test("parseSyncConfig(): gocloudtrail's defaults, comments and trailing commas; ignored keys get a note", () => {
  const parsed = parseSyncConfig(`{
    // a comment
    "download_workers": 8, "bloom_file": "bloom.gob",
    "trails": [{ "name": "t", "bucket": "b" },],
  }`);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.config, {
    ...SYNC_DEFAULTS,
    downloadWorkers: 8,
    trails: [{ name: "t", bucket: "b", prefix: "" }],
  });
  assert.deepEqual(parsed.notes, [
    '"bloom_file" is not used: duplicates are found exactly, by eventID in the state DB, not with a bloom filter',
  ]);
  assert.deepEqual(parseSyncConfig(`{ "trails": [{ "bucket": "b", "prefx": "p" }] }`), {
    ok: false,
    issue: 'unknown key "prefx" in trails[0] (did you mean "prefix"?)',
  });
  const written = parseSyncConfig(renderSyncConfig([{ name: "n", bucket: "b", prefix: "p/" }]));
  assert.ok(written.ok && written.config.trails[0]!.prefix === "p/" && written.notes.length === 0);
});

Deno.test("parseSyncConfig(): a number past its maximum is refused, naming the key (1e300 was a whole number)", () => {
  const issue = (key: string, text: string) => {
    const parsed = parseSyncConfig(`{ "${key}": ${text} }`);
    return parsed.ok ? undefined : parsed.issue;
  };
  for (const key of ["download_workers", "list_batch_size", "events_per_file", "progress_interval"]) {
    for (const text of ["1e300", "9007199254740992", "1e400"]) {
      assert.match(
        issue(key, text) ?? "",
        new RegExp(`^"${key}" must be a whole number of at most 9007199254740991, got `),
      );
    }
    assert.equal(issue(key, "9007199254740991"), undefined);
  }
  assert.equal(issue("process_workers", "257"), '"process_workers" must be a whole number of at most 256, got 257');
  assert.equal(issue("process_workers", "256"), undefined);
});

Deno.test("planAppends() fills the current part, then starts new ones of events_per_file lines", () => {
  assert.deepEqual(planAppends(undefined, 5, 3), [
    { part: 0, from: 0, to: 3, isNew: true },
    { part: 1, from: 3, to: 5, isNew: true },
  ]);
  assert.deepEqual(planAppends({ part: 4, lines: 2 }, 2, 3), [
    { part: 4, from: 0, to: 1, isNew: false },
    { part: 5, from: 1, to: 2, isNew: true },
  ]);
  assert.deepEqual(planAppends({ part: 4, lines: 3 }, 0, 3), []);
});

Deno.test("ListingCursor moves only past keys that are finished with every key listed before them", () => {
  const cursor = new ListingCursor();
  for (const key of ["a", "b", "c"]) cursor.listed(key);
  assert.equal(cursor.finished("b"), undefined);
  assert.equal(cursor.finished("a"), "b");
  assert.equal(cursor.finished("c"), "c");
  const prefix = "AWSLogs/1/CloudTrail/eu-west-1/";
  assert.equal(resumeAfter(prefix, `${prefix}2024/03/02/1_CloudTrail_x.json.gz`), `${prefix}2024/03/02/`);
  assert.equal(resumeAfter(prefix, undefined), undefined);
});

Deno.test("archivePartitionOf() takes account, region and UTC date from the record; odd values become unknown", () => {
  assert.equal(
    archivePartitionOf({
      recipientAccountId: "111122223333",
      awsRegion: "eu-west-1",
      eventTime: "2024-03-01T23:59:59Z",
    }),
    "account=111122223333/region=eu-west-1/date=2024-03-01",
  );
  assert.equal(
    archivePartitionOf({ userIdentity: { accountId: "444455556666" }, awsRegion: "../etc", eventTime: 5 }),
    "account=444455556666/region=unknown/date=unknown",
  );
  assert.equal(dedupKey({ eventID: "e1" }, "x"), "e1");
  assert.equal(dedupKey({}, "{}"), dedupKey({}, "{}"));
  assert.notEqual(dedupKey({}, "{}"), dedupKey({}, '{"a":1}'));
});

Deno.test("dedupeBatch() keeps what claim grants, in file order, and counts per file", () => {
  const encoder = new TextEncoder();
  const out = (partition: string, lines: [string, string][]): SyncOut => {
    const text = lines.map(([, l]) => l + "\n").join("");
    let end = 0;
    return {
      partitions: [{
        partition,
        keys: lines.map(([k]) => k),
        bytes: encoder.encode(text),
        ends: Uint32Array.from(lines.map(([, l]) => (end += l.length + 1))),
      }],
      records: lines.length,
      withoutId: 0,
    };
  };
  const outs = [out("p", [["a", "A"], ["b", "B"]]), out("p", [["b", "B"], ["c", "C"]])];
  assert.deepEqual(linesPerPartition(outs), new Map([["p", 4]]));
  const seen = new Set(["a"]);
  const batch = dedupeBatch(outs, (_p, keys) => keys.map((k) => !seen.has(k) && (seen.add(k), true)));
  assert.deepEqual(batch.files, [{ events: 1, duplicates: 1 }, { events: 1, duplicates: 1 }]);
  assert.deepEqual(batch.appends.map((a) => a.lines.map((l) => new TextDecoder().decode(l))), [["B\n", "C\n"]]);
});

Deno.test("trailsToSync(): each TrailARN once, trails writing to one place merged, no bucket no trail", () => {
  const org = { Name: "org", TrailARN: "arn:org", S3BucketName: "b", S3KeyPrefix: "p" };
  assert.deepEqual(
    trailsToSync([org, org, { Name: "twin", TrailARN: "arn:twin", S3BucketName: "b", S3KeyPrefix: "p" }, {
      Name: "lake",
      TrailARN: "arn:lake",
    }]),
    [{ name: "org+twin", bucket: "b", prefix: "p" }],
  );
});
