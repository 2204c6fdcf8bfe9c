import assert from "node:assert/strict";
import { validateUnit } from "../../src/commands/validate_unit.ts";
import type { DigestUnit } from "../../src/core/digest/digest_key.ts";
import type { FileResult } from "../../src/core/digest/digest_state.ts";
import { PublicKeyRing } from "../../src/sources/public_key_ring.ts";
import { makeSigner, SignedTrail, type Signer, tamper, type TreeObject } from "../../scripts/signed_tree.ts";
import { memoryStore } from "../helpers/memory_store.ts";

const BUCKET = "trail-bucket";
const HOUR = 3_600_000;
/** A run long after every file of the tests was delivered: every digest had time to come. */
const LONG_AFTER = Date.parse("2024-06-01T00:00:00Z");
const signer = makeSigner();

function ring(...signers: Signer[]): PublicKeyRing {
  return new PublicKeyRing(() => Promise.resolve(signers.map((s) => ({ fingerprint: s.fingerprint, der: s.der }))));
}

async function validate(
  objects: Map<string, TreeObject>,
  unit: DigestUnit,
  range: { from: string; to: string },
  keys = ring(signer),
  now = LONG_AFTER,
): Promise<FileResult[]> {
  const results: FileResult[] = [];
  await validateUnit(memoryStore(objects, BUCKET), unit, {
    range: { from: Date.parse(range.from), to: Date.parse(range.to) },
    now,
    keys,
    parallelism: 4,
    emit: (r) => Promise.resolve(void results.push(r)),
    onReadError: (key, e) => Promise.reject(new Error(`${key}: ${e}`)),
  });
  return results.sort((a, b) => (a.key < b.key ? -1 : 1));
}

const states = (results: FileResult[]) =>
  results.reduce<Record<string, number>>(
    (n, r) => ({ ...n, [`${r.kind} ${r.state}`]: (n[`${r.kind} ${r.state}`] ?? 0) + 1 }),
    {},
  );
const stateOf = (results: FileResult[], key: string) => results.find((r) => r.key === key)?.state;

/** 48 hourly digests from 2024-03-01T00:17:42Z, two log files per hour except every sixth hour (empty). */
function fortyEightHours(objects: Map<string, TreeObject>, region: string, orgId?: string) {
  const trail = new SignedTrail(objects, { bucket: BUCKET, signer, region, ...(orgId ? { orgId } : {}) });
  const logs: string[] = [];
  const digests: string[] = [];
  for (let h = 0; h < 48; h++) {
    const start = Date.parse("2024-03-01T00:00:00Z") + h * HOUR;
    const hourLogs = h % 6 === 5
      ? []
      : [0, 1].map((i) => trail.log(new Date(start + (10 + i * 20) * 60_000).toISOString(), `h${h}f${i}`));
    logs.push(...hourLogs);
    digests.push(trail.digest(new Date(start + HOUR + 17 * 60_000 + 42_000).toISOString(), hourLogs));
  }
  return { trail, logs, digests };
}

const RANGE = { from: "2024-03-01T00:00:00Z", to: "2024-03-02T23:59:59Z" };

Deno.test("validateUnit(): a 48-hour chain in two regions with empty hours is valid, the first digest without a previous", async () => {
  const objects = new Map<string, TreeObject>();
  const west = fortyEightHours(objects, "eu-west-1");
  fortyEightHours(objects, "us-east-1");
  for (const region of ["eu-west-1", "us-east-1"]) {
    const r = await validate(objects, { prefix: "", account: "111122223333", region }, RANGE);
    assert.deepEqual(states(r), { "digest valid": 48, "log valid": 80 });
  }
  const first = JSON.parse(new TextDecoder().decode(gunzip(objects.get(west.digests[0]!)!.body)));
  assert.equal(first.previousDigestSignature, null);
});

Deno.test("validateUnit(): every state, each with its reason", async () => {
  const objects = new Map<string, TreeObject>();
  const { trail, logs, digests } = fortyEightHours(objects, "eu-west-1");
  tamper(objects, logs[0]!); // modified
  objects.delete(logs[2]!); // deleted
  const injected = trail.log("2024-03-01T03:33:00Z", "injected"); // not covered
  // An edited digest (a log file's hash replaced): signature invalid, and digest 11 no longer links to it.
  const edited = JSON.parse(new TextDecoder().decode(gunzip(objects.get(digests[10]!)!.body)));
  edited.logFiles[0].hashValue = "0".repeat(64);
  tamper(objects, digests[10]!, JSON.stringify(edited));
  objects.delete(digests[20]!); // digest 21 names a missing previous: chain broken
  const late = trail.log("2024-03-03T00:20:00Z", "late"); // after the newest digest
  const range = { ...RANGE, to: "2024-03-03T00:30:00Z" };
  const r = await validate(objects, { prefix: "", account: "111122223333", region: "eu-west-1" }, range);
  assert.equal(stateOf(r, logs[0]!), "modified");
  assert.equal(stateOf(r, logs[2]!), "deleted");
  assert.equal(stateOf(r, injected), "not-covered");
  assert.equal(r.find((x) => x.key === injected)?.reason, "no digest names it");
  assert.equal(r.find((x) => x.key === late)?.reason, "delivered after the newest digest; none came within 2 hours");
  assert.equal(stateOf(r, digests[10]!), "signature-invalid");
  assert.equal(stateOf(r, digests[11]!), "chain-broken");
  assert.equal(stateOf(r, digests[20]!), "deleted");
  assert.match(r.find((x) => x.key === digests[21]!)?.reason ?? "", /previous digest ".*" not found/);
  // The logs of the invalid digest (hour 10) are not covered by anything trusted; those of the deleted one (20) neither.
  const hour10 = logs.filter((k) => k.includes("_h10f"));
  assert.deepEqual(hour10.map((k) => r.find((x) => x.key === k)?.reason), [
    "named only by a digest that is not valid",
    "named only by a digest that is not valid",
  ]);
  assert.deepEqual(states(r), {
    "digest valid": 44,
    "digest signature-invalid": 1,
    "digest chain-broken": 2,
    "digest deleted": 1,
    "log valid": 74,
    "log modified": 1,
    "log deleted": 1,
    "log not-covered": 6,
  });
});

Deno.test("validateUnit(): a wrong signature, an unknown key and a moved digest are signature-invalid", async () => {
  const objects = new Map<string, TreeObject>();
  const { digests } = fortyEightHours(objects, "eu-west-1");
  const other = makeSigner();
  const forged = objects.get(digests[3]!)!;
  objects.set(digests[3]!, { ...forged, metadata: { ...forged.metadata, signature: "ab".repeat(256) } });
  const copy = digests[4]!.replace("2024/03/01", "2024/03/01").replace(".json.gz", "_copy.json.gz");
  const r = await validate(objects, { prefix: "", account: "111122223333", region: "eu-west-1" }, RANGE);
  assert.equal(r.find((x) => x.key === digests[3]!)?.reason, "signature verification failed");
  assert.equal(stateOf(r, digests[4]!), "chain-broken"); // its previous is no longer what it names
  const unknownKey = await validate(
    objects,
    { prefix: "", account: "111122223333", region: "eu-west-1" },
    RANGE,
    ring(other),
  );
  assert.match(unknownKey.find((x) => x.key === digests[0]!)?.reason ?? "", /public key not found for fingerprint/);
  // A digest served from another key than the one it names: moved.
  const moved = new Map(objects);
  const key = digests[6]!.replace("_main_trail_", "_main_trail2_");
  moved.set(key, objects.get(digests[6]!)!);
  const m = await validate(moved, { prefix: "", account: "111122223333", region: "eu-west-1" }, RANGE);
  assert.equal(m.find((x) => x.key === key)?.reason, "has been moved from its original location");
  assert.ok(copy); // (a name that is not a digest key is never listed)
});

Deno.test("validateUnit(): backfill digests form their own chain and cover late log files", async () => {
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: BUCKET, signer });
  const early = trail.log("2024-03-01T00:10:00Z", "early");
  trail.digest("2024-03-01T01:17:42Z", [early]);
  const late = trail.log("2024-03-01T00:40:00Z", "late");
  const backfill = trail.digest("2024-03-01T01:17:42Z", [late], { backfill: true });
  const late2 = trail.log("2024-03-01T01:40:00Z", "late2");
  trail.digest("2024-03-01T02:17:42Z", []);
  const backfill2 = trail.digest("2024-03-01T02:17:42Z", [late2], { backfill: true });
  const r = await validate(objects, { prefix: "", account: "111122223333", region: "eu-west-1" }, {
    from: "2024-03-01T00:00:00Z",
    to: "2024-03-01T02:00:00Z",
  });
  assert.deepEqual(states(r), { "digest valid": 4, "log valid": 3 });
  tamper(objects, backfill);
  const t = await validate(objects, { prefix: "", account: "111122223333", region: "eu-west-1" }, {
    from: "2024-03-01T00:00:00Z",
    to: "2024-03-01T02:00:00Z",
  });
  assert.equal(stateOf(t, backfill), "signature-invalid");
  assert.equal(stateOf(t, backfill2), "chain-broken");
  assert.equal(stateOf(t, late), "not-covered");
});

Deno.test("validateUnit(): an organization trail under a prefix validates in the org layout", async () => {
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: BUCKET, signer, orgId: "o-abcdefghij", prefix: "org/" });
  const log = trail.log("2024-03-01T00:10:00Z", "a");
  const digest = trail.digest("2024-03-01T01:17:42Z", [log]);
  assert.match(digest, /^org\/AWSLogs\/o-abcdefghij\/111122223333\/CloudTrail-Digest\/eu-west-1\/2024\/03\/01\//);
  const unit = { prefix: "org/", orgId: "o-abcdefghij", account: "111122223333", region: "eu-west-1" };
  const r = await validate(objects, unit, { from: "2024-03-01T00:00:00Z", to: "2024-03-01T00:59:00Z" });
  assert.deepEqual(states(r), { "digest valid": 1, "log valid": 1 });
  const plain = await validate(objects, { prefix: "org/", account: "111122223333", region: "eu-west-1" }, {
    from: "2024-03-01T00:00:00Z",
    to: "2024-03-01T00:59:00Z",
  });
  assert.deepEqual(plain, []); // the account layout is another folder
});

import { gunzipSync, gzipSync } from "node:zlib";
function gunzip(bytes: Uint8Array): Uint8Array {
  return gunzipSync(bytes);
}

Deno.test("validateUnit(): a listing that repeats keys (paged listings do) counts each file once", async () => {
  const objects = new Map<string, TreeObject>();
  fortyEightHours(objects, "eu-west-1");
  const store = memoryStore(objects, BUCKET);
  const repeating = {
    ...store,
    async *list(prefix: string, keep: (key: string) => boolean) {
      for await (const key of store.list(prefix, keep)) {
        yield key;
        yield key;
      }
    },
  };
  const results: FileResult[] = [];
  await validateUnit(repeating, { prefix: "", account: "111122223333", region: "eu-west-1" }, {
    range: { from: Date.parse(RANGE.from), to: Date.parse(RANGE.to) },
    now: LONG_AFTER,
    keys: ring(signer),
    parallelism: 3,
    emit: (r) => Promise.resolve(void results.push(r)),
    onReadError: (key, e) => Promise.reject(new Error(`${key}: ${e}`)),
  });
  assert.deepEqual(states(results), { "digest valid": 48, "log valid": 80 });
});

Deno.test("validateUnit(): a digest that inflates past the limit (a gzip bomb) is signature-invalid, the rest is judged", async () => {
  const objects = new Map<string, TreeObject>();
  const { digests } = fortyEightHours(objects, "eu-west-1");
  // 65 MiB of spaces: 65 KB of gzip. Unbounded, 640 MB of them failed the whole unit ("buffer exceeds maximum length").
  const bomb = objects.get(digests[10]!)!;
  objects.set(digests[10]!, { ...bomb, body: gzipSync(new Uint8Array(65 * 2 ** 20).fill(32), { level: 9 }) });
  const r = await validate(objects, { prefix: "", account: "111122223333", region: "eu-west-1" }, RANGE);
  assert.equal(stateOf(r, digests[10]!), "signature-invalid");
  assert.match(r.find((x) => x.key === digests[10])?.reason ?? "", /over the digest limit of 64 MiB uncompressed/);
  assert.equal(stateOf(r, digests[11]!), "chain-broken");
  assert.equal(states(r)["digest valid"], 46);
});

const WEST = { prefix: "", account: "111122223333", region: "eu-west-1" };
const resultOf = (results: FileResult[], key: string) => results.find((r) => r.key === key);

Deno.test("validateUnit(): log files after the newest digest, delivered less than 2 hours before the run, await their digest", async () => {
  const objects = new Map<string, TreeObject>();
  const { trail } = fortyEightHours(objects, "eu-west-1"); // the newest digest ends 2024-03-03T00:17:42Z
  const fresh = [trail.log("2024-03-03T00:20:00Z", "fresh1"), trail.log("2024-03-03T01:10:00Z", "fresh2")];
  const older = trail.log("2024-03-02T23:50:00Z", "older"); // before the newest digest, which does not name it
  const now = Date.parse("2024-03-03T01:30:00Z");
  const range = { from: RANGE.from, to: "2024-03-03T01:30:00Z" };
  const r = await validate(objects, WEST, range, ring(signer), now);
  assert.deepEqual(fresh.map((k) => resultOf(r, k)), [
    {
      kind: "log",
      key: fresh[0],
      state: "awaiting-digest",
      reason: "no digest yet: delivered after the newest digest, less than 2 hours ago; run again after " +
        "2024-03-03T02:20:00Z",
      recheckAfter: "2024-03-03T02:20:00Z",
    },
    {
      kind: "log",
      key: fresh[1],
      state: "awaiting-digest",
      reason: "no digest yet: delivered after the newest digest, less than 2 hours ago; run again after " +
        "2024-03-03T03:10:00Z",
      recheckAfter: "2024-03-03T03:10:00Z",
    },
  ]);
  // Recent, but older than the newest digest: a digest had its chance and did not name it. Tampering, as before.
  assert.deepEqual(resultOf(r, older), { kind: "log", key: older, state: "not-covered", reason: "no digest names it" });
  assert.deepEqual(states(r), { "digest valid": 48, "log valid": 80, "log awaiting-digest": 2, "log not-covered": 1 });
  // Later, the digest is overdue: the first file is not covered (validation or logging stopped, or a digest deleted).
  const late = await validate(objects, WEST, range, ring(signer), Date.parse("2024-03-03T03:00:00Z"));
  assert.equal(resultOf(late, fresh[0]!)?.state, "not-covered");
  assert.equal(resultOf(late, fresh[0]!)?.reason, "delivered after the newest digest; none came within 2 hours");
  assert.equal(resultOf(late, fresh[1]!)?.state, "awaiting-digest");
  // Exactly 2 hours after its delivery it is decided.
  const edge = await validate(objects, WEST, range, ring(signer), Date.parse("2024-03-03T02:20:00Z"));
  assert.equal(resultOf(edge, fresh[0]!)?.state, "not-covered");
});

Deno.test("validateUnit(): with no digest in the range yet, the log files of the last 2 hours await; older ones fail", async () => {
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: BUCKET, signer });
  const old = trail.log("2024-03-01T00:10:00Z", "old");
  const recent = trail.log("2024-03-01T01:50:00Z", "recent");
  const now = Date.parse("2024-03-01T02:15:00Z");
  const r = await validate(
    objects,
    WEST,
    { from: "2024-03-01T00:00:00Z", to: "2024-03-01T02:15:00Z" },
    ring(signer),
    now,
  );
  assert.equal(resultOf(r, old)?.state, "not-covered");
  assert.equal(resultOf(r, old)?.reason, "no digest in the range");
  assert.equal(resultOf(r, recent)?.state, "awaiting-digest");
  assert.equal(
    resultOf(r, recent)?.reason,
    "no digest yet: no digest in the range, delivered less than 2 hours ago; run again after 2024-03-01T03:50:00Z",
  );
});

Deno.test("validateUnit(): the grace never covers a file a forged digest names, a file dated after the run, or one before the newest digest", async () => {
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: BUCKET, signer });
  const named = trail.log("2024-03-01T00:10:00Z", "named");
  const digest = trail.digest("2024-03-01T01:17:42Z", [named]);
  // The only digest is edited (a hash replaced): nothing is trusted, and its log file is named only by it.
  const edited = JSON.parse(new TextDecoder().decode(gunzip(objects.get(digest)!.body)));
  edited.logFiles[0].hashValue = "0".repeat(64);
  tamper(objects, digest, JSON.stringify(edited));
  const future = trail.log("2024-03-01T02:00:00Z", "future");
  const now = Date.parse("2024-03-01T01:30:00Z");
  const range = { from: "2024-03-01T00:00:00Z", to: "2024-03-01T03:00:00Z" };
  const r = await validate(objects, WEST, range, ring(signer), now);
  assert.equal(resultOf(r, digest)?.state, "signature-invalid");
  assert.deepEqual(resultOf(r, named), {
    kind: "log",
    key: named,
    state: "not-covered",
    reason: "named only by a digest that is not valid",
  });
  // 30 minutes after the run's time: no clock is that far off (S3 refuses requests 15 minutes off); a forged name.
  assert.deepEqual(resultOf(r, future), {
    kind: "log",
    key: future,
    state: "not-covered",
    reason: "named as delivered after the run's time",
  });
  // Within the clock skew S3 accepts, a file dated after the run awaits like the others.
  const skewed = trail.log("2024-03-01T01:40:00Z", "skewed");
  const s = await validate(objects, WEST, range, ring(signer), now);
  assert.equal(resultOf(s, skewed)?.state, "awaiting-digest");
});

Deno.test("validateUnit(): a log file in the minute the newest digest ends may be in the next digest: it awaits", async () => {
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: BUCKET, signer });
  trail.digest("2024-03-01T01:17:42Z", [trail.log("2024-03-01T00:10:00Z", "a")]);
  // Named 01:17 (minute precision): delivered between 01:17:00 and 01:17:59, maybe after the digest closed.
  const sameMinute = trail.log("2024-03-01T01:17:00Z", "b");
  const minuteBefore = trail.log("2024-03-01T01:16:00Z", "c"); // delivered by 01:16:59: the digest should name it
  const now = Date.parse("2024-03-01T01:40:00Z");
  const r = await validate(
    objects,
    WEST,
    { from: "2024-03-01T00:00:00Z", to: "2024-03-01T01:40:00Z" },
    ring(signer),
    now,
  );
  assert.equal(resultOf(r, sameMinute)?.state, "awaiting-digest");
  assert.equal(resultOf(r, minuteBefore)?.state, "not-covered");
});

Deno.test("validateUnit(): two trails of one account and region: a file after the older of their newest digests awaits", async () => {
  const objects = new Map<string, TreeObject>();
  const a = new SignedTrail(objects, { bucket: BUCKET, signer, trail: "a" });
  const b = new SignedTrail(objects, { bucket: BUCKET, signer, trail: "b" });
  a.digest("2024-03-01T01:17:42Z", [a.log("2024-03-01T00:10:00Z", "a1")]);
  b.digest("2024-03-01T01:45:10Z", [b.log("2024-03-01T00:50:00Z", "b1")]);
  // After trail a's newest digest, before trail b's: it may be trail a's, whose next digest is not due yet.
  const between = a.log("2024-03-01T01:30:00Z", "a2");
  const now = Date.parse("2024-03-01T01:50:00Z");
  const range = { from: "2024-03-01T00:00:00Z", to: "2024-03-01T01:50:00Z" };
  const r = await validate(objects, WEST, range, ring(signer), now);
  assert.equal(resultOf(r, between)?.state, "awaiting-digest");
  assert.deepEqual(states(r), { "digest valid": 2, "log valid": 2, "log awaiting-digest": 1 });
});

Deno.test("validateUnit(): a trail that stopped lends no grace: a file before the live trail's newest digest fails", async () => {
  const objects = new Map<string, TreeObject>();
  const live = new SignedTrail(objects, { bucket: BUCKET, signer, trail: "live" });
  const stopped = new SignedTrail(objects, { bucket: BUCKET, signer, trail: "stopped" });
  stopped.digest("2024-03-01T01:45:10Z", [stopped.log("2024-03-01T00:50:00Z", "s1")]);
  for (let h = 1; h <= 6; h++) live.digest(`2024-03-01T0${h}:17:42Z`, []);
  const injected = live.log("2024-03-01T05:40:00Z", "injected"); // before the live trail's newest digest (06:17:42)
  const fresh = live.log("2024-03-01T06:20:00Z", "fresh");
  const now = Date.parse("2024-03-01T06:30:00Z");
  const r = await validate(
    objects,
    WEST,
    { from: "2024-03-01T00:00:00Z", to: "2024-03-01T06:30:00Z" },
    ring(signer),
    now,
  );
  assert.equal(resultOf(r, injected)?.state, "not-covered");
  assert.equal(resultOf(r, injected)?.reason, "no digest names it");
  assert.equal(resultOf(r, fresh)?.state, "awaiting-digest");
});
