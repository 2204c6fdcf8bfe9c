import assert from "node:assert/strict";
import { withRetries } from "../../src/sources/retry.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";

const serverError = () =>
  Object.assign(new Error("boom"), { name: "InternalError", $metadata: { httpStatusCode: 500 } });

Deno.test("withRetries() makes at most `attempts` calls, backing off with capped full jitter on the given clock", async () => {
  const clock = new VirtualClock();
  let calls = 0;
  await assert.rejects(
    withRetries(() => {
      calls++;
      return Promise.reject(serverError());
    }, { attempts: 5, baseMs: 100, capMs: 300, signal: new AbortController().signal, clock, random: () => 0.5 }),
    /boom/,
  );
  assert.equal(calls, 5);
  assert.deepEqual(clock.sleeps, [50, 100, 150, 150]);
});

Deno.test("withRetries() does not retry a permanent error (access denied, a missing key, a local permission)", async () => {
  for (
    const error of [
      Object.assign(new Error("no"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }),
      Object.assign(new Error("gone"), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } }),
      new Deno.errors.PermissionDenied("read-only"),
    ]
  ) {
    let calls = 0;
    const clock = new VirtualClock();
    const retrying = withRetries(() => {
      calls++;
      return Promise.reject(error);
    }, { attempts: 5, baseMs: 100, capMs: 300, signal: new AbortController().signal, clock });
    await assert.rejects(retrying);
    assert.equal(calls, 1, error.name);
  }
});

Deno.test("withRetries() ends a backoff at once when the signal aborts, with the abort's reason", async () => {
  const controller = new AbortController();
  const clock = new VirtualClock();
  clock.onSleep = () => controller.abort(new DOMException("stopped", "AbortError"));
  let calls = 0;
  await assert.rejects(
    withRetries(() => {
      calls++;
      return Promise.reject(serverError());
    }, { attempts: 5, baseMs: 60_000, capMs: 60_000, signal: controller.signal, clock }),
    { name: "AbortError" },
  );
  assert.equal(calls, 1);
});
