/** `changes` gives the same report from the CloudTrail API and from --log-dir, for every filter. */
import assert from "node:assert/strict";
import { ALERT } from "../../scripts/incident_records.ts";
import type { ChangeReport } from "../../src/core/changes/change_report.ts";
import { startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import { runCli } from "../helpers/fake_io.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";

const LOG_DIR = "data/sample/incident";
const REGIONS = ["eu-west-1", "us-east-1"];
const ROLE = "arn:aws:iam::111122223333:role/ci-deploy";

/** Every filter alone and a few together; regions as the API is asked for them. */
const FILTERS: string[][] = [
  [],
  ["--resource", "sg-0a1b2c3d"],
  ["--resource", "sg-0a1b2c3d", "--resource", "i-0bb7"],
  ["--resource", "no-such-resource"],
  ["--actor", ROLE],
  ["--actor", ROLE, "--no-failed"],
  ["--category", "iam", "--category", "database"],
  ["--category", "security-groups", "--resource", "sg-0a1b2c3d"],
  ["--region", "us-east-1"],
  ["--region", "eu-west-1", "--resource", "sg-0a1b2c3d"],
  ["--from", "2024-03-01T10:05:00Z", "--to", "2024-03-01T10:10:00Z", "--lookback", "0"],
  ["--lookback", "60"],
  ["--no-failed"],
];

async function records(): Promise<Record<string, unknown>[]> {
  const r = await runCli(["select", "--log-dir", LOG_DIR, "--format", "jsonl"]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split("\n").map((l) => JSON.parse(l));
}

Deno.test("changes: the API and --log-dir give the same report for every filter (data/sample/incident)", async (t) => {
  const all = await records();
  const clock = new VirtualClock(Date.parse(ALERT.to) + 60_000);
  const events = Object.fromEntries(REGIONS.map((r) => [r, all.filter((x) => x.awsRegion === r)]));
  const peer = startCloudTrailPeer({ events, clock });
  try {
    for (const filter of FILTERS) {
      await t.step(filter.join(" ") || "no filter", async () => {
        const window = filter.includes("--from") ? [] : ["--from", ALERT.from, "--to", ALERT.to];
        const regions = filter.includes("--region") ? [] : REGIONS.flatMap((r) => ["--region", r]);
        const common = ["changes", ...window, ...filter, "--format", "json"];
        const api = await runCli([...common, ...regions, "--endpoint-url", peer.endpoint], { clock });
        const local = await runCli([...common, "--log-dir", LOG_DIR], { clock });
        assert.equal(api.code, 0, api.stderr);
        assert.equal(local.code, 0, local.stderr);
        const a = JSON.parse(api.stdout) as ChangeReport;
        const l = JSON.parse(local.stdout) as ChangeReport;
        assert.deepEqual(l.events, a.events);
        assert.deepEqual(l.grouped, a.grouped);
        assert.equal(l.metadata.eventCount, a.metadata.eventCount);
        if (filter.length === 0) assert.equal(a.metadata.eventCount, 13);
        if (filter.join(" ") === "--resource sg-0a1b2c3d") assert.equal(l.metadata.eventCount, 2);
      });
    }
  } finally {
    await peer.stop();
  }
});

Deno.test("mcp cloudtrail_changes: resourceIds filter a log dir as --resource does", async () => {
  const { changesTool } = await import("../../src/commands/mcp_tools.ts");
  const { denoIo } = await import("../../src/runtime/io.ts");
  const ctx = {
    gates: { allowAwsRead: false, regionAllowlist: undefined },
    io: denoIo(),
    logDir: LOG_DIR,
    pacerFor: () => ({ take: () => Promise.resolve() }) as never,
    defaultRegion: "us-east-1",
  };
  const answer = await changesTool(ctx, { from: ALERT.from, to: ALERT.to, resourceIds: ["sg-0a1b2c3d"] });
  assert.ok(!answer.isError, answer.content[0]?.text);
  const report = JSON.parse(answer.content[1]!.text) as ChangeReport;
  assert.equal(report.metadata.eventCount, 2);
  assert.ok(report.events.every((e) => JSON.stringify(e).includes("sg-0a1b2c3d")));
});
