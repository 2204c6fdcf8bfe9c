/**
 * Ctrl-C while `select --use-cloudtrail-api` or `changes` wait on a slow CloudTrail endpoint: they stop at once with
 * exit 130. The interrupt is pressed when the peer has received a LookupEvents request, which it never answers.
 */
import assert from "node:assert/strict";
import { incidentRecords } from "../../scripts/incident_records.ts";
import { startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import { InterruptSwitch, runCli } from "../helpers/fake_io.ts";

const WINDOW = ["--from", "2024-03-01T09:00Z", "--to", "2024-03-01T11:00Z"];

async function interruptedWhileWaiting(command: (endpoint: string) => string[]) {
  const interrupt = new InterruptSwitch();
  const release = Promise.withResolvers<void>();
  const peer = startCloudTrailPeer({
    events: { "eu-west-1": incidentRecords(), "us-east-1": incidentRecords() },
    onLookup: () => {
      interrupt.press(); // the command now waits on this request: Ctrl-C
      return release.promise; // a slow endpoint: no answer until the test ends
    },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // Bounded: a command that does not hear Ctrl-C fails the test instead of hanging it.
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("Ctrl-C was not heard within 20 s")), 20_000);
    });
    return await Promise.race([runCli(command(peer.endpoint), { interrupt }), hung]);
  } finally {
    clearTimeout(timer);
    release.resolve();
    await peer.stop();
  }
}

Deno.test("select --use-cloudtrail-api: Ctrl-C while a LookupEvents request is pending stops at once, exit 130", async () => {
  const r = await interruptedWhileWaiting((endpoint) => [
    "select",
    "--use-cloudtrail-api",
    "--region",
    "eu-west-1",
    "--region",
    "us-east-1",
    "--endpoint-url",
    endpoint,
    ...WINDOW,
  ]);
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /interrupted: select stopped\n$/);
  assert.doesNotMatch(r.stderr, /failed|error:/);
});

Deno.test("changes: Ctrl-C while a LookupEvents request is pending stops at once, exit 130, even with --best-effort", async () => {
  for (const extra of [[], ["--best-effort"]]) {
    const r = await interruptedWhileWaiting((endpoint) => [
      "changes",
      ...extra,
      "--region",
      "eu-west-1",
      "--endpoint-url",
      endpoint,
      ...WINDOW,
    ]);
    assert.equal(r.code, 130, r.stderr);
    assert.equal(r.stdout, "", "no report of a run that was stopped");
    assert.match(r.stderr, /interrupted: changes stopped\n$/);
  }
});
