import assert from "node:assert/strict";
import { runCli } from "../helpers/fake_io.ts";
import { startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";
import { NO_CREDENTIALS_ENV } from "../helpers/aws_env.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";
import { LOOKUP_ATTEMPTS } from "../../src/sources/cloudtrail_api.ts";

const ROLE = "arn:aws:iam::111122223333:role/app";

/** `n` records one second apart from 2024-03-01T09:00:00Z, alternating between ROLE and an IAM user. */
function events(n: number, offset = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const t = new Date(Date.UTC(2024, 2, 1, 9) + (i + offset) * 1000).toISOString().replace(".000Z", "Z");
    return { ...record(t, i % 2 === 0 ? ROLE : undefined), eventID: `e-${offset + i}` };
  });
}

function api(endpoint: string, ...extra: string[]): string[] {
  return [
    "select",
    "--use-cloudtrail-api",
    "--endpoint-url",
    endpoint,
    "--from",
    "2024-03-01",
    "--to",
    "2024-03-02",
    ...extra,
  ];
}

Deno.test("select --use-cloudtrail-api pages through many pages with StartTime, EndTime and MaxResults 50", async () => {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1)); // --from is more than 90 days before "now"
  const peer = startCloudTrailPeer({ clock, events: { "eu-west-1": events(260) } });
  try {
    const r = await runCli(api(peer.endpoint, "--region", "eu-west-1"), { env: {}, clock });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Records.length, 260);
    const lookups = peer.requests.filter((q) => q.target.endsWith("LookupEvents"));
    assert.equal(lookups.length, 6);
    assert.deepEqual(lookups[0]!.body, {
      StartTime: Date.UTC(2024, 2, 1) / 1000,
      EndTime: Date.UTC(2024, 2, 2) / 1000,
      MaxResults: 50,
    });
    assert.ok(lookups.slice(1).every((q) => typeof q.body.NextToken === "string"));
    assert.match(r.stderr, /^note: the CloudTrail API only holds the last 90 days/);
    assert.match(r.stderr, /select: 1 region, 6 pages, 260 events; 260 records matched\n$/);
  } finally {
    await peer.stop();
  }
});

Deno.test("select --use-cloudtrail-api keeps to 2 requests/s per region and sustains at least 95 events/s (virtual time)", async () => {
  const clock = new VirtualClock();
  const peer = startCloudTrailPeer({ events: { "us-east-1": events(500), "eu-west-1": events(500) }, clock });
  try {
    const start = clock.now();
    const r = await runCli(
      api(peer.endpoint, "--region", "us-east-1", "--region", "eu-west-1", "--format", "jsonl"),
      { clock },
    );
    const seconds = (clock.now() - start) / 1000;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split("\n").length, 1000);
    assert.ok(peer.requests.every((q) => q.status === 200), "the pacer let the service throttle");
    for (const region of ["us-east-1", "eu-west-1"]) {
      const starts = peer.requests.filter((q) => q.region === region).map((q) => q.at);
      assert.equal(starts.length, 10);
      for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 500, `gap ${i} in ${region}`);
    }
    // Two regions in parallel: 10 pages each, 9 gaps of 510 ms.
    assert.ok(seconds <= 5, `${seconds} s of virtual time`);
    assert.ok(1000 / seconds >= 2 * 95, `${(1000 / seconds).toFixed(1)} events/s`);
  } finally {
    await peer.stop();
  }
});

Deno.test("select --use-cloudtrail-api backs off on ThrottlingException and still returns every event", async () => {
  const clock = new VirtualClock();
  const peer = startCloudTrailPeer({ events: { "eu-west-1": events(120) }, throttleEvery: 2, clock });
  try {
    const r = await runCli(api(peer.endpoint, "--region", "eu-west-1"), { clock });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Records.length, 120);
    assert.match(r.stderr, /select: 1 region, 3 pages, 120 events, throttled [1-9]\d* times; 120 records matched\n$/);
  } finally {
    await peer.stop();
  }
});

Deno.test("select --use-cloudtrail-api gives up on a region after LOOKUP_ATTEMPTS throttled requests in a row", async () => {
  const clock = new VirtualClock();
  const peer = startCloudTrailPeer({ events: { "eu-west-1": events(10) }, ratePerSecond: 0, clock });
  try {
    const r = await runCli(api(peer.endpoint, "--region", "eu-west-1"), { clock });
    assert.equal(r.code, 1);
    assert.equal(peer.requests.length, LOOKUP_ATTEMPTS);
    assert.match(
      r.stderr,
      /warning: CloudTrail throttled LookupEvents in eu-west-1 8 times in a row; try again later, or query fewer regions at once\n/,
    );
    assert.match(r.stderr, /error: 1 of 1 regions failed\n$/);
  } finally {
    await peer.stop();
  }
});

Deno.test("select --use-cloudtrail-api queries two regions concurrently, with the role and time filters", async () => {
  const clock = new VirtualClock();
  const peer = startCloudTrailPeer({ clock, events: { "eu-west-1": events(60), "us-east-1": events(60, 1000) } });
  try {
    const r = await runCli([
      ...api(peer.endpoint, "--region", "eu-west-1", "--region", "us-east-1", "--filter-assumed-role-arn", ROLE),
      "--to",
      "2024-03-01T09:16:00Z",
    ], { clock });
    assert.equal(r.code, 0, r.stderr);
    const ids = (JSON.parse(r.stdout).Records as { eventID: string }[]).map((x) => x.eventID).sort();
    // eu-west-1: 30 of the role's 60; us-east-1: events from 09:16:40 on, after --to.
    assert.equal(ids.length, 30);
    assert.ok(ids.every((id) => Number(id.slice(2)) < 60));
    assert.deepEqual(new Set(peer.requests.map((q) => q.region)), new Set(["eu-west-1", "us-east-1"]));
  } finally {
    await peer.stop();
  }
});

Deno.test("select --use-cloudtrail-api skips and counts an event that cannot be parsed", async () => {
  const peer = startCloudTrailPeer({ events: { "eu-west-1": [...events(3), "{not json", ""] } });
  try {
    const r = await runCli(api(peer.endpoint, "--region", "eu-west-1"));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Records.length, 3);
    assert.match(r.stderr, /5 events, 2 skipped \(2 unparseable CloudTrailEvent\); 3 records matched/);
  } finally {
    await peer.stop();
  }
});

Deno.test("select --use-cloudtrail-api prints the same records as local select on the same events", async () => {
  const clock = new VirtualClock();
  const all = events(80);
  const peer = startCloudTrailPeer({ clock, events: { "eu-west-1": all } });
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T0905Z")}`, all);
  try {
    const filters = [
      "--filter-assumed-role-arn",
      ROLE,
      "--from",
      "2024-03-01T09:00:10Z",
      "--to",
      "2024-03-01T09:01:00Z",
    ];
    const remote = await runCli([...api(peer.endpoint, "--region", "eu-west-1"), ...filters], { clock });
    const local = await runCli(["select", "--log-dir", dir, ...filters]);
    assert.equal(remote.code, 0, remote.stderr);
    const lines = (out: string) => out.slice('{"Records": ['.length, -3).split(/, (?=\{"eventVersion")/).sort();
    assert.equal(lines(local.stdout).length, 26);
    assert.deepEqual(lines(remote.stdout), lines(local.stdout));
  } finally {
    await peer.stop();
  }
});

Deno.test("select --use-cloudtrail-api: access denied names cloudtrail:LookupEvents and counts the region as failed", async () => {
  const peer = startCloudTrailPeer({ events: {}, deny: true });
  try {
    const denied = await runCli(api(peer.endpoint, "--region", "eu-west-1"));
    assert.equal(denied.code, 1);
    assert.match(
      denied.stderr,
      /warning: access denied while looking up events in eu-west-1: the caller needs cloudtrail:LookupEvents/,
    );
    assert.match(denied.stderr, /select: 1 region, 0 pages, 0 events, 1 region failed; 0 records matched\n/);
    assert.match(denied.stderr, /error: 1 of 1 regions failed\n$/);
  } finally {
    await peer.stop();
  }
});

Deno.test("select --use-cloudtrail-api: no region configured queries us-east-1 and says so on stderr", async () => {
  const peer = startCloudTrailPeer({ events: { "us-east-1": events(3), "eu-west-1": events(5) } });
  try {
    const r = await runCli(api(peer.endpoint), { env: { AWS_REGION: undefined } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Records.length, 3);
    assert.match(
      r.stderr,
      /^note: no AWS region configured \(AWS_REGION, AWS_DEFAULT_REGION or the profile's region\): using us-east-1; pass --region \(repeatable\) to query other regions\n/,
    );
    assert.deepEqual(new Set(peer.requests.map((q) => q.region)), new Set(["us-east-1"]));
  } finally {
    await peer.stop();
  }
});

Deno.test("select --use-cloudtrail-api: missing credentials fail before any output, stdout stays empty", async () => {
  const peer = startCloudTrailPeer({ events: { "eu-west-1": events(3) } });
  try {
    const r = await runCli(api(peer.endpoint, "--region", "eu-west-1"), { env: NO_CREDENTIALS_ENV });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /\nerror: no AWS credentials found while looking up events in eu-west-1: set AWS_PROFILE/);
    assert.equal(peer.requests.length, 0);
  } finally {
    await peer.stop();
  }
});
