import assert from "node:assert/strict";
import {
  deliveredInRange,
  folderMayHoldRange,
  nonLogFileKind,
  parseLogFileName,
} from "../../../src/core/aws/log_file_name.ts";

Deno.test("parseLogFileName() reads account, region and delivery time of a log file name", () => {
  assert.deepEqual(parseLogFileName("111122223333_CloudTrail_eu-west-1_20240301T0945Z_AbC123.json.gz"), {
    account: "111122223333",
    region: "eu-west-1",
    delivered: Date.UTC(2024, 2, 1, 9, 45),
  });
});

Deno.test("parseLogFileName() matches whole names only", () => {
  for (
    const name of [
      "111122223333_CloudTrail_eu-west-1_20240301T0945Z_AbC123.json.gz.tmp",
      "x111122223333_CloudTrail_eu-west-1_20240301T0945Z_AbC123.json.gz",
      "111122223333_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20240301T0945Z.json.gz",
      "111122223333_CloudTrail-Insight_eu-west-1_20240301T0945Z_AbC123.json.gz",
      "111122223333_CloudTrail_eu-west-1_20240301T0945Z_AbC123.json",
      "notes.txt",
    ]
  ) assert.equal(parseLogFileName(name), undefined, name);
});

Deno.test("nonLogFileKind() names digests, Insights and temporary files", () => {
  assert.equal(nonLogFileKind("1_CloudTrail-Digest_eu-west-1_t_eu-west-1_20240301T0945Z.json.gz"), "digest");
  assert.equal(nonLogFileKind("1_CloudTrail-Insight_eu-west-1_20240301T0945Z_a.json.gz"), "insight");
  assert.equal(nonLogFileKind("1_CloudTrail_eu-west-1_20240301T0945Z_a.json.gz.tmp"), "temporary");
  assert.equal(nonLogFileKind("README"), "other");
});

Deno.test("deliveredInRange() includes both edges and a one-hour buffer after to", () => {
  const from = Date.UTC(2024, 2, 1, 10);
  const to = Date.UTC(2024, 2, 1, 12);
  assert.equal(deliveredInRange(from - 60_000, from, to), false);
  assert.equal(deliveredInRange(from, from, to), true);
  assert.equal(deliveredInRange(to + 3_600_000, from, to), true);
  assert.equal(deliveredInRange(to + 3_600_000 + 60_000, from, to), false);
});

Deno.test("folderMayHoldRange() prunes year, month and day folders outside the delivery window", () => {
  const from = Date.UTC(2024, 2, 1, 10);
  const to = Date.UTC(2024, 2, 2, 23, 30); // the 1-hour buffer reaches into March 3rd
  const base = ["AWSLogs", "o-abc", "111122223333", "CloudTrail", "eu-west-1"];
  const may = (...date: string[]) => folderMayHoldRange([...base, ...date], from, to);
  assert.equal(may(), true);
  assert.equal(may("2023"), false);
  assert.equal(may("2024"), true);
  assert.equal(may("2024", "02"), false);
  assert.equal(may("2024", "03"), true);
  assert.equal(may("2024", "02", "29"), false);
  assert.equal(may("2024", "03", "01"), true);
  assert.equal(may("2024", "03", "03"), true);
  assert.equal(may("2024", "03", "04"), false);
  assert.equal(folderMayHoldRange(["some", "other", "dir"], from, to), true);
});
