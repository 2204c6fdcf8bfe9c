import assert from "node:assert/strict";
import { judgeDigests } from "../../../src/core/digest/digest_chain.ts";
import { parseDigestDocument, signingString } from "../../../src/core/digest/digest_document.ts";
import { digestPrefixesFor, logPrefixesFor, parseDigestKey } from "../../../src/core/digest/digest_key.ts";
import { parseSidecar, sidecarText } from "../../../src/core/digest/digest_sidecar.ts";
import { parsePublicKeyList } from "../../../src/core/digest/public_keys.ts";

const KEY = "p/AWSLogs/o-abcdefghij/111122223333/CloudTrail-Digest/eu-west-1/2024/03/01/" +
  "111122223333_CloudTrail-Digest_eu-west-1_my_trail.v2_us-east-1_20240301T011742Z.json.gz";

Deno.test("parseDigestKey() reads the org layout, a trail name with underscores, backfill; refuses near misses", () => {
  assert.deepEqual(parseDigestKey(KEY), {
    prefix: "p/",
    orgId: "o-abcdefghij",
    account: "111122223333",
    region: "eu-west-1",
    trail: "my_trail.v2",
    homeRegion: "us-east-1",
    end: Date.parse("2024-03-01T01:17:42Z"),
    backfill: false,
  });
  assert.equal(parseDigestKey(KEY.replace(".json.gz", "_backfill.json.gz"))?.backfill, true);
  for (
    const bad of [
      KEY + ".tmp-1a2b3c4d", // an in-progress download
      KEY + ".sig.json", // a sidecar
      KEY.replace("/eu-west-1/2024", "/us-east-1/2024"), // folder region differs from the name's
      KEY.replace("/111122223333/CloudTrail-Digest", "/444455556666/CloudTrail-Digest"), // folder account differs
      KEY.replace("CloudTrail-Digest_", "CloudTrail_"), // a log file name
      KEY.replace("T011742Z", "T251742Z"), // hour 25
      KEY.replace("20240301T", "20241301T"), // month 13
      "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/03/01/../../../../../../../" + KEY, // lands elsewhere
      "x//" + KEY, // an empty segment
    ]
  ) assert.equal(parseDigestKey(bad), undefined, bad);
});

Deno.test("digestPrefixesFor() covers the hour after --to; logPrefixesFor() the days of the range", () => {
  const range = { from: Date.parse("2024-03-01T00:00:00Z"), to: Date.parse("2024-03-01T23:30:00Z") };
  const unit = { prefix: "", account: "111122223333", region: "eu-west-1" };
  assert.deepEqual(digestPrefixesFor(range, unit), [
    "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/03/01/",
    "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/03/02/",
  ]);
  assert.deepEqual(logPrefixesFor(range, { ...unit, orgId: "o-abcdefghij" }), [
    "AWSLogs/o-abcdefghij/111122223333/CloudTrail/eu-west-1/2024/03/01/",
  ]);
});

const DOC = {
  digestStartTime: "2024-03-01T00:17:42Z",
  digestEndTime: "2024-03-01T01:17:42Z",
  digestS3Bucket: "b",
  digestS3Object: KEY,
  digestPublicKeyFingerprint: "ab",
  previousDigestSignature: null,
  logFiles: [],
};

Deno.test("signingString() is end time, bucket/key, hash and previous signature (null for the first digest)", () => {
  const parsed = parseDigestDocument(JSON.stringify(DOC));
  assert.ok(parsed.ok);
  assert.equal(signingString(parsed.digest, "f0"), `2024-03-01T01:17:42Z\nb/${KEY}\nf0\nnull`);
  const next = parseDigestDocument(JSON.stringify({ ...DOC, previousDigestSignature: "c0ffee" }));
  assert.ok(next.ok);
  assert.equal(signingString(next.digest, "f0").split("\n").at(-1), "c0ffee");
});

Deno.test("parseDigestDocument() returns issues for bad digests, never throws", () => {
  const issues = [
    "not json",
    "[]",
    JSON.stringify({ ...DOC, digestEndTime: 5 }),
    JSON.stringify({ ...DOC, previousDigestSignature: undefined }),
    JSON.stringify({ ...DOC, logFiles: {} }),
    JSON.stringify({ ...DOC, logFiles: [{ s3Object: "k" }] }),
    JSON.stringify({ ...DOC, previousDigestS3Object: 7 }),
    "[".repeat(100_000) + "]".repeat(100_000), // deep nesting
  ].map((t) => parseDigestDocument(t));
  assert.ok(issues.every((p) => !p.ok));
  assert.deepEqual(issues.map((p) => (p.ok ? "" : p.issue.split(":")[0])), Array(8).fill("invalid format"));
});

Deno.test("parsePublicKeyList() reads the API's JSON; sidecars round-trip", () => {
  const parsed = parsePublicKeyList(
    JSON.stringify({ PublicKeyList: [{ Value: btoa("\x01\x02"), Fingerprint: "AB" }] }),
  );
  assert.deepEqual(parsed, { ok: true, keys: [{ fingerprint: "ab", der: new Uint8Array([1, 2]) }] });
  assert.equal(parsePublicKeyList("{}").ok, false);
  assert.equal(parsePublicKeyList(JSON.stringify({ PublicKeyList: [{ Value: "%%", Fingerprint: "x" }] })).ok, false);
  const sidecar = { bucket: "b", key: KEY, signature: "ab", signatureAlgorithm: "SHA256withRSA" };
  assert.deepEqual(parseSidecar(sidecarText(sidecar)), sidecar);
  assert.equal(parseSidecar('{"bucket": 1}'), undefined);
});

Deno.test("judgeDigests(): a forged start, a previous before the range, a previous that is not a digest key", () => {
  const ok = parseDigestDocument(JSON.stringify(DOC));
  assert.ok(ok.ok);
  const at = (document: typeof ok.digest) => ({ key: KEY, signature: "aa", sha256: "bb", document });
  const forged = judgeDigests([at({ ...ok.digest, previousDigestSignature: "cc" })], { from: 0 });
  assert.deepEqual(forged.results[0]?.reason, "previous digest not named");
  const before = KEY.replace("T011742Z", "T001742Z");
  const early = judgeDigests([at({ ...ok.digest, previousDigestS3Object: before, previousDigestSignature: "cc" })], {
    from: Date.parse("2024-03-01T01:00:00Z"),
  });
  assert.equal(early.results[0]?.state, "valid");
  const missing = judgeDigests([at({ ...ok.digest, previousDigestS3Object: before, previousDigestSignature: "cc" })], {
    from: Date.parse("2024-03-01T00:00:00Z"),
  });
  assert.deepEqual(missing.results.map((r) => [r.key, r.state]), [[KEY, "chain-broken"], [before, "deleted"]]);
  const odd = judgeDigests([at({ ...ok.digest, previousDigestS3Object: "../x", previousDigestSignature: "cc" })], {
    from: 0,
  });
  assert.equal(odd.results[0]?.reason, 'previous digest "../x" is not a digest key');
});

Deno.test("judgeDigests(): the previous digest's hash must match (uncompressed, or the stored bytes)", () => {
  const before = KEY.replace("T011742Z", "T001742Z");
  const first = parseDigestDocument(JSON.stringify({ ...DOC, digestS3Object: before }));
  const second = parseDigestDocument(
    JSON.stringify({
      ...DOC,
      previousDigestS3Object: before,
      previousDigestSignature: "aa",
      previousDigestHashValue: "CC",
    }),
  );
  assert.ok(first.ok && second.ok);
  const judge = (previous: { sha256: string; gzipSha256: string }) =>
    judgeDigests([
      { key: before, signature: "aa", ...previous, document: first.digest },
      { key: KEY, signature: "bb", sha256: "x", document: second.digest },
    ], { from: 0 }).results.find((r) => r.key === KEY);
  assert.equal(judge({ sha256: "cc", gzipSha256: "dd" })?.state, "valid");
  assert.equal(judge({ sha256: "dd", gzipSha256: "cc" })?.state, "valid");
  assert.match(judge({ sha256: "dd", gzipSha256: "ee" })?.reason ?? "", /^previous digest hash does not match/);
});
