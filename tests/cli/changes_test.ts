import assert from "node:assert/strict";
import { ALERT, incidentRecords, writeIncidentTree } from "../../scripts/incident_records.ts";
import type { ChangeReport } from "../../src/core/changes/change_report.ts";
import { startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import { runCli } from "../helpers/fake_io.ts";
import { NO_CREDENTIALS_ENV } from "../helpers/aws_env.ts";
import { assertSnapshot } from "../helpers/snapshot.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";

const fixtures = new URL("../fixtures/changes/", import.meta.url);
const REGIONS = ["eu-west-1", "us-east-1"];

function byRegion(records: Record<string, unknown>[]): Record<string, Record<string, unknown>[]> {
  return Object.fromEntries(REGIONS.map((r) => [r, records.filter((x) => x.awsRegion === r)]));
}

function apiArgs(endpoint: string, ...extra: string[]): string[] {
  return [
    "changes",
    "--endpoint-url",
    endpoint,
    "--from",
    ALERT.from,
    "--to",
    ALERT.to,
    ...REGIONS.flatMap((r) => ["--region", r]),
    ...extra,
  ];
}

async function withPeer(
  options: Partial<Parameters<typeof startCloudTrailPeer>[0]>,
  fn: (endpoint: string, clock: VirtualClock, peer: ReturnType<typeof startCloudTrailPeer>) => Promise<void>,
) {
  const clock = new VirtualClock(Date.parse(ALERT.to) + 60_000);
  const peer = startCloudTrailPeer({ events: byRegion(incidentRecords()), clock, ...options });
  try {
    await fn(peer.endpoint, clock, peer);
  } finally {
    await peer.stop();
  }
}

Deno.test("changes: the Markdown and JSON reports of an incident from the API (golden files)", async () => {
  await withPeer({}, async (endpoint, clock, peer) => {
    const md = await runCli(apiArgs(endpoint), { clock });
    assert.equal(md.code, 0, md.stderr);
    await assertSnapshot(md.stdout, new URL("incident.md", fixtures), "the Markdown report");
    assert.equal(md.stderr, "changes: 13 found, 13 shown\n");
    const json = await runCli(apiArgs(endpoint, "--format", "json"), { clock });
    assert.equal(json.code, 0, json.stderr);
    await assertSnapshot(json.stdout, new URL("incident.json", fixtures), "the JSON report");
    const lookups = peer.requests.filter((q) => q.target.endsWith("LookupEvents"));
    assert.ok(
      lookups.every((q) =>
        JSON.stringify(q.body.LookupAttributes) === '[{"AttributeKey":"ReadOnly","AttributeValue":"false"}]'
      ),
    );
  });
});

Deno.test("changes: the same report from the API and from --log-dir on the same events", async () => {
  const dir = await Deno.makeTempDir();
  writeIncidentTree(dir);
  await withPeer({}, async (endpoint, clock) => {
    const api = await runCli(apiArgs(endpoint, "--format", "json"), { clock });
    const local = await runCli(
      ["changes", "--log-dir", dir, "--from", ALERT.from, "--to", ALERT.to, "--format", "json"],
      { clock },
    );
    assert.equal(local.code, 0, local.stderr);
    const a = JSON.parse(api.stdout) as ChangeReport;
    const l = JSON.parse(local.stdout) as ChangeReport;
    assert.deepEqual(l.events, a.events);
    assert.deepEqual(l.grouped, a.grouped);
    assert.equal(l.metadata.source, "log-dir");
  });
});

Deno.test("changes: --lookback widens the window; --max-events keeps the newest and says what was cut", async () => {
  await withPeer({}, async (endpoint, clock) => {
    const wide = JSON.parse(
      (await runCli(apiArgs(endpoint, "--format", "json", "--lookback", "60"), { clock })).stdout,
    );
    assert.equal(wide.metadata.eventCount, 14);
    assert.equal(wide.events[0].eventName, "ModifyDBParameterGroup");
    const env = { AWS_CLOUDTRAIL_LOOKBACK_MINUTES: "60", AWS_CLOUDTRAIL_MAX_EVENTS: "3" };
    const cut = JSON.parse((await runCli(apiArgs(endpoint, "--format", "json"), { clock, env })).stdout);
    assert.equal(cut.metadata.lookbackMinutes, 60);
    assert.equal(cut.metadata.eventCount >= 3, true);
    assert.equal(cut.metadata.shownCount, 3);
    assert.equal(cut.metadata.truncated, true);
    assert.deepEqual(cut.events.map((e: { eventName: string }) => e.eventName), [
      "TerminateInstances",
      "PutBucketPolicy",
      "CreateSnapshot",
    ]);
    const perCategory = await runCli(apiArgs(endpoint, "--per-category", "1"), { clock });
    assert.match(
      perCategory.stdout,
      /#### 🔒 Security groups \(2\)\n\n- \*\*AuthorizeSecurityGroupIngress\*\*.*\n- \+1 more\n/,
    );
  });
});

Deno.test("changes: filters by category, actor and failed attempts", async () => {
  await withPeer({}, async (endpoint, clock) => {
    const names = async (...extra: string[]) =>
      (JSON.parse((await runCli(apiArgs(endpoint, "--format", "json", ...extra), { clock })).stdout) as ChangeReport)
        .events.map((e) => e.eventName);
    assert.deepEqual(await names("--category", "iam", "--category", "database"), ["PutRolePolicy", "ModifyDBInstance"]);
    assert.deepEqual(await names("--actor", "arn:aws:iam::111122223333:role/ci-deploy"), [
      "AuthorizeSecurityGroupIngress",
      "PutRolePolicy",
    ]);
    assert.deepEqual(await names("--actor", "arn:aws:iam::111122223333:role/ci-deploy", "--no-failed"), [
      "PutRolePolicy",
    ]);
    const bad = await runCli(apiArgs(endpoint, "--category", "dns"), { clock });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--category takes one of security-groups, auto-scaling/);
  });
});

Deno.test("changes: --resource asks LookupEvents by ResourceName for each id and merges the answers", async () => {
  await withPeer({}, async (endpoint, clock, peer) => {
    const r = await runCli(
      apiArgs(endpoint, "--format", "json", "--resource", "sg-0a1b2c3d", "--resource", "web-asg"),
      { clock },
    );
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ChangeReport;
    assert.deepEqual(report.events.map((e) => e.eventName), [
      "AuthorizeSecurityGroupIngress",
      "AuthorizeSecurityGroupIngress",
      "UpdateAutoScalingGroup",
      "SetDesiredCapacity",
    ]);
    // White space around an id is trimmed before LookupEvents is asked: the same requests, the same answer.
    const padded = await runCli(
      apiArgs(endpoint, "--format", "json", "--resource", " sg-0a1b2c3d ", "--resource", "\tweb-asg\n"),
      { clock },
    );
    assert.equal(padded.code, 0, padded.stderr);
    assert.deepEqual((JSON.parse(padded.stdout) as ChangeReport).events, report.events);
    const attributes = new Set(peer.requests.map((q) => JSON.stringify(q.body.LookupAttributes)));
    assert.deepEqual(
      attributes,
      new Set([
        '[{"AttributeKey":"ResourceName","AttributeValue":"sg-0a1b2c3d"}]',
        '[{"AttributeKey":"ResourceName","AttributeValue":"web-asg"}]',
      ]),
    );
  });
});

Deno.test("changes: the region allowlist refuses other regions with a usage error, before any AWS call", async () => {
  await withPeer({}, async (endpoint, clock, peer) => {
    const r = await runCli(apiArgs(endpoint, "--region-allowlist", "eu-west-1"), { clock });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^error: region "us-east-1" is not in the region allowlist \(eu-west-1\)\n/);
    const env = await runCli(apiArgs(endpoint), { clock, env: { TRAILSCRAPER_REGION_ALLOWLIST: "us-east-1" } });
    assert.equal(env.code, 2);
    assert.equal(peer.requests.length, 0);
  });
});

Deno.test("changes: AccessDenied fails with exit 1 (partial report printed); --best-effort reports it and exits 0", async () => {
  await withPeer({ deny: true }, async (endpoint, clock) => {
    const strict = await runCli(apiArgs(endpoint, "--region", "eu-west-1"), { clock });
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /⚠️ partial result: access denied while looking up events in eu-west-1/);
    assert.match(
      strict.stderr,
      /error: access denied while looking up events in eu-west-1: the caller needs cloudtrail:LookupEvents/,
    );
    assert.match(strict.stderr, /error: changes is incomplete: 2 of its queries failed\n$/);
    const lenient = await runCli(apiArgs(endpoint, "--best-effort", "--format", "json"), { clock });
    assert.equal(lenient.code, 0, lenient.stderr);
    const report = JSON.parse(lenient.stdout) as ChangeReport;
    assert.equal(report.metadata.errors.length, 2);
    assert.match(report.metadata.errors[0]!, /cloudtrail:LookupEvents/);
  });
});

Deno.test("changes --best-effort: missing credentials become an entry in metadata.errors, exit 0", async () => {
  await withPeer({}, async (endpoint, clock, peer) => {
    const env = NO_CREDENTIALS_ENV;
    const r = await runCli(apiArgs(endpoint, "--best-effort", "--format", "json"), { clock, env });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ChangeReport;
    assert.equal(report.events.length, 0);
    assert.match(report.metadata.errors[0]!, /^no AWS credentials found/);
    assert.equal(peer.requests.length, 0);
    const strict = await runCli(apiArgs(endpoint), { clock, env });
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /^error: no AWS credentials found/);
  });
});

Deno.test("changes: 1,000 write events in each of two regions over 2 hours, within 2 requests/s per region (virtual time)", async () => {
  const many = (region: string) =>
    Array.from({ length: 1000 }, (_, i) => ({
      ...incidentRecords()[1]!,
      awsRegion: region,
      eventTime: new Date(Date.parse("2024-03-01T08:15:00Z") + i * 7_200).toISOString().replace(".000Z", "Z"),
      eventID: `${region}-${i}`,
    }));
  await withPeer(
    { events: { "eu-west-1": many("eu-west-1"), "us-east-1": many("us-east-1") } },
    async (endpoint, clock, peer) => {
      const started = clock.now();
      const r = await runCli(apiArgs(endpoint, "--format", "json", "--lookback", "105", "--max-events", "2000"), {
        clock,
      });
      const seconds = (clock.now() - started) / 1000;
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as ChangeReport).metadata.eventCount, 2000);
      assert.ok(peer.requests.every((q) => q.status === 200), "throttled");
      assert.equal(peer.requests.length, 40);
      // 20 pages per region, both regions at once: 19 gaps of 510 ms.
      assert.ok(seconds < 10.5, `${seconds} s`);
    },
  );
});

Deno.test("changes --log-dir: a .json beside its .json.gz (gunzip -k) is not read twice, and is counted", async () => {
  const dir = await Deno.makeTempDir();
  const { gunzipSync } = await import("node:zlib");
  const args = ["changes", "--log-dir", dir, "--from", ALERT.from, "--to", ALERT.to, "--format", "json"];
  const files = writeIncidentTree(dir);
  const clock = new VirtualClock(Date.parse(ALERT.to) + 60_000);
  const once = await runCli(args, { clock });
  for (const file of files) {
    Deno.writeFileSync(`${dir}/${file.slice(0, -3)}`, gunzipSync(Deno.readFileSync(`${dir}/${file}`)));
  }
  const twins = await runCli(args, { clock });
  assert.equal(twins.code, 0, twins.stderr);
  assert.deepEqual((JSON.parse(twins.stdout) as ChangeReport).events, (JSON.parse(once.stdout) as ChangeReport).events);
  // Every twin in the time window is counted (a file delivered outside it is passed over before).
  const m = /; (\d+) skipped \(\1 gunzipped copy, its \.gz read\)\n$/.exec(twins.stderr);
  assert.ok(m && Number(m[1]) > 0 && Number(m[1]) <= files.length, twins.stderr);
});

Deno.test("changes from the API counts unparseable events with their reason in the summary and the JSON", async () => {
  const clock = new VirtualClock(Date.parse(ALERT.to) + 60_000);
  const regions = byRegion(incidentRecords());
  const events = { ...regions, "eu-west-1": [...regions["eu-west-1"]!, "{not json", "", '{"eventName": '] };
  const peer = startCloudTrailPeer({ clock, events });
  try {
    const r = await runCli(apiArgs(peer.endpoint, "--format", "json"), { clock });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ChangeReport;
    assert.equal(report.metadata.eventCount, 13);
    assert.deepEqual(report.metadata.skipped, { "unparseable CloudTrailEvent": 3 });
    assert.match(r.stderr, /^changes: 13 found, 13 shown; 3 skipped \(3 unparseable CloudTrailEvent\)\n$/);
  } finally {
    await peer.stop();
  }
});
