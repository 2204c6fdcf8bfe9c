import assert from "node:assert/strict";
import { lookupRegions, type RegionLookupOptions } from "../../src/sources/cloudtrail_lookup.ts";
import { TEST_AWS_ENV } from "../helpers/aws_env.ts";
import { refusedEndpoint, startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import { record } from "../helpers/log_tree.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";

const events = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    ...record(new Date(Date.UTC(2024, 2, 1, 9) + i * 1000).toISOString()),
    eventID: `e-${i}`,
  }));

function options(endpoint: string, regions: string[], clock = new VirtualClock()): RegionLookupOptions {
  const env = (name: string) => TEST_AWS_ENV[name];
  return { endpointUrl: endpoint, regions, start: Date.UTC(2024, 2, 1), end: Date.UTC(2024, 2, 2), env, clock };
}

Deno.test("lookupRegions(): every page of every region reaches the consumer; stop() ends a query after its page", async () => {
  const clock = new VirtualClock();
  const peer = startCloudTrailPeer({ clock, events: { "eu-west-1": events(120), "us-east-1": events(30) } });
  try {
    const seen: Record<string, number> = {};
    const outcome = await lookupRegions(options(peer.endpoint, ["eu-west-1", "us-east-1"], clock), async (q) => {
      for await (const page of q.pages) {
        seen[q.region] = (seen[q.region] ?? 0) + page.events;
        if (q.region === "eu-west-1") q.stop();
      }
    });
    assert.deepEqual(outcome, { failures: [] });
    assert.deepEqual(seen, { "eu-west-1": 50, "us-east-1": 30 });
    assert.equal(peer.requests.filter((r) => r.region === "eu-west-1").length, 1);
  } finally {
    await peer.stop();
  }
});

Deno.test("lookupRegions(): each denied region is a failure of its own, named, not a fatal one", async () => {
  const peer = startCloudTrailPeer({ deny: true, events: {} });
  try {
    const outcome = await lookupRegions(options(peer.endpoint, ["eu-west-1", "us-east-1"]), async (q) => {
      for await (const _ of q.pages) { /* denied before any page */ }
    });
    assert.equal(outcome.fatal, undefined);
    assert.deepEqual(outcome.failures.map((f) => f.region).sort(), ["eu-west-1", "us-east-1"]);
    assert.match(outcome.failures[0]!.message, /access denied while looking up events in .*cloudtrail:LookupEvents/);
  } finally {
    await peer.stop();
  }
});

Deno.test("lookupRegions(): a refused connection stops every region at once as one fatal failure naming the endpoint", async () => {
  const endpoint = refusedEndpoint();
  const clock = new VirtualClock();
  const outcome = await lookupRegions(options(endpoint, ["eu-west-1", "us-east-1", "ap-south-1"], clock), async (q) => {
    for await (const _ of q.pages) { /* refused */ }
  });
  assert.match(outcome.fatal?.message ?? "", new RegExp(`^cannot reach ${endpoint} while looking up events in`));
  assert.deepEqual(clock.sleeps.filter((ms) => ms > 0), [], "no backoff for a refused connection");
});

Deno.test("lookupRegions(): the consumer's own error is a bug: thrown as it is, never a region failure", async () => {
  const peer = startCloudTrailPeer({ events: { "eu-west-1": events(3), "us-east-1": events(3) } });
  try {
    await assert.rejects(
      lookupRegions(options(peer.endpoint, ["eu-west-1", "us-east-1"]), async (q) => {
        for await (const _ of q.pages) if (q.region === "eu-west-1") throw new TypeError("a bug in the consumer");
      }),
      (e: Error) => e instanceof TypeError && e.message === "a bug in the consumer",
    );
  } finally {
    await peer.stop();
  }
});

Deno.test("lookupRegions(): a region named twice is queried once", async () => {
  const clock = new VirtualClock();
  const peer = startCloudTrailPeer({ clock, events: { "eu-west-1": events(3) } });
  try {
    let pages = 0;
    await lookupRegions(options(peer.endpoint, ["eu-west-1", "eu-west-1"], clock), async (q) => {
      for await (const _ of q.pages) pages++;
    });
    assert.equal(pages, 1);
    assert.equal(peer.requests.length, 1);
  } finally {
    await peer.stop();
  }
});

Deno.test("lookupRegions(): an endpoint that pages in a circle is a failure of its region, not an endless loop", async () => {
  const clock = new VirtualClock();
  const peer = startCloudTrailPeer({ clock, circularTokens: true, events: { "eu-west-1": events(120) } });
  try {
    let pages = 0;
    const outcome = await lookupRegions(options(peer.endpoint, ["eu-west-1"], clock), async (q) => {
      for await (const _ of q.pages) pages++;
    });
    assert.equal(pages, 3);
    assert.deepEqual(outcome.failures.map((f) => f.message), [
      "looking up events in eu-west-1 failed: LookupEvents returned a NextToken it had returned before",
    ]);
  } finally {
    await peer.stop();
  }
});
