import assert from "node:assert/strict";
import { isLogFileKey, keyPrefixesFor, normalizePrefix, utcDays } from "../../../src/core/aws/s3_layout.ts";

const at = (iso: string) => Date.parse(iso);

Deno.test("utcDays() lists every UTC day the range touches, both ends included", () => {
  assert.deepEqual(utcDays(at("2024-03-01T00:00:00Z"), at("2024-03-01T23:59:59Z")), ["2024/03/01"]);
  // trailscraper dropped the first day when from's time of day was later than to's.
  assert.deepEqual(utcDays(at("2024-03-01T23:30:00Z"), at("2024-03-02T00:30:00Z")), ["2024/03/01", "2024/03/02"]);
  assert.deepEqual(utcDays(at("2024-02-28T12:00:00Z"), at("2024-03-01T00:00:00Z")), [
    "2024/02/28",
    "2024/02/29",
    "2024/03/01",
  ]);
  assert.deepEqual(utcDays(at("2024-12-31T23:00:00Z"), at("2025-01-01T01:00:00Z")), ["2024/12/31", "2025/01/01"]);
  assert.deepEqual(utcDays(at("2024-03-02T00:00:00Z"), at("2024-03-01T00:00:00Z")), []);
});

Deno.test("normalizePrefix() adds a missing trailing slash and says so", () => {
  assert.deepEqual(normalizePrefix(""), { prefix: "", added: false });
  assert.deepEqual(normalizePrefix("trails/"), { prefix: "trails/", added: false });
  assert.deepEqual(normalizePrefix("trails"), { prefix: "trails/", added: true });
});

Deno.test("keyPrefixesFor() plans one day folder per org, account, region and day", () => {
  const range = { from: at("2024-03-01T22:00:00Z"), to: at("2024-03-02T01:00:00Z") };
  assert.deepEqual(keyPrefixesFor(range, { prefix: "", orgIds: [], accounts: ["111"], regions: ["us-east-1"] }), [
    "AWSLogs/111/CloudTrail/us-east-1/2024/03/01/",
    "AWSLogs/111/CloudTrail/us-east-1/2024/03/02/",
  ]);
  const org = keyPrefixesFor(range, {
    prefix: "p/",
    orgIds: ["o-a"],
    accounts: ["111", "222"],
    regions: ["eu-west-1"],
  });
  assert.deepEqual(org, [
    "p/AWSLogs/o-a/111/CloudTrail/eu-west-1/2024/03/01/",
    "p/AWSLogs/o-a/111/CloudTrail/eu-west-1/2024/03/02/",
    "p/AWSLogs/o-a/222/CloudTrail/eu-west-1/2024/03/01/",
    "p/AWSLogs/o-a/222/CloudTrail/eu-west-1/2024/03/02/",
  ]);
});

Deno.test("isLogFileKey() accepts log files only", () => {
  assert.equal(isLogFileKey("AWSLogs/1/CloudTrail/r/2024/03/01/1_CloudTrail_us-east-1_20240301T0000Z_a.json.gz"), true);
  assert.equal(
    isLogFileKey(
      "AWSLogs/1/CloudTrail-Digest/r/2024/03/01/1_CloudTrail-Digest_us-east-1_t_us-east-1_20240301T0000Z.json.gz",
    ),
    false,
  );
  assert.equal(isLogFileKey("AWSLogs/1/CloudTrail/r/2024/03/01/notes.txt"), false);
});
