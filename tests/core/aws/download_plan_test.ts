import assert from "node:assert/strict";
import { etaSeconds, needsDownload, waitDecision } from "../../../src/core/aws/download_plan.ts";

Deno.test("needsDownload() fetches a missing or differently sized file, skips one of the listed size", () => {
  assert.equal(needsDownload(100, undefined), true);
  assert.equal(needsDownload(100, 40), true);
  assert.equal(needsDownload(100, 100), false);
});

Deno.test("etaSeconds() is known only once every folder is listed and bytes have arrived", () => {
  assert.equal(etaSeconds({ listed: false, plannedBytes: 1000, bytes: 500, seconds: 1 }), undefined);
  assert.equal(etaSeconds({ listed: true, plannedBytes: 1000, bytes: 0, seconds: 1 }), undefined);
  assert.equal(etaSeconds({ listed: true, plannedBytes: 1000, bytes: 250, seconds: 1 }), 3);
});

Deno.test("waitDecision(): caught up after an event past --to; waits while another interval fits; else gives up", () => {
  const base = { to: 1000, now: 0, deadline: 60_000, intervalMs: 60_000 };
  assert.equal(waitDecision({ ...base, newest: 1001 }), "caught-up");
  assert.equal(waitDecision({ ...base, newest: 1000 }), "wait");
  assert.equal(waitDecision({ ...base, newest: undefined }), "wait");
  assert.equal(waitDecision({ ...base, newest: 999, now: 1 }), "give-up");
});
