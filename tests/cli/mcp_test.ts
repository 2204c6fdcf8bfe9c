/** The MCP server as an agent runs it: a child process driven by the MCP SDK's own stdio client. */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ALERT, incidentRecords } from "../../scripts/incident_records.ts";
import { type CloudTrailPeerOptions, startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;
const incident = new URL("../../data/sample/incident", import.meta.url).pathname;

type Answer = { content: { type: string; text: string }[]; isError?: boolean };

async function withServer(
  args: string[],
  env: Record<string, string>,
  fn: (call: (name: string, args: Record<string, unknown>) => Promise<Answer>, client: Client) => Promise<void>,
) {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "--quiet", "--allow-all", main, "mcp", ...args],
    env: {
      AWS_ACCESS_KEY_ID: "AKIATEST",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "eu-west-1",
      AWS_EC2_METADATA_DISABLED: "true",
      NO_COLOR: "1",
      ...env,
    },
    stderr: "pipe",
  });
  const client = new Client({ name: "trailscraper-test", version: "1" });
  await client.connect(transport);
  try {
    await fn((name, a) => client.callTool({ name, arguments: a }) as Promise<Answer>, client);
  } finally {
    await client.close();
  }
}

function byRegion(records: Record<string, unknown>[]) {
  return {
    "eu-west-1": records.filter((r) => r.awsRegion === "eu-west-1"),
    "us-east-1": records.filter((r) => r.awsRegion === "us-east-1"),
  };
}

async function withPeer(
  options: Partial<CloudTrailPeerOptions>,
  fn: (endpoint: string, peer: ReturnType<typeof startCloudTrailPeer>) => Promise<void>,
) {
  const peer = startCloudTrailPeer({ events: byRegion(incidentRecords()), ...options });
  try {
    await fn(peer.endpoint, peer);
  } finally {
    await peer.stop();
  }
}

Deno.test("mcp: lists its three tools and answers each from a local log dir, without AWS", async () => {
  await withServer(["--log-dir", incident], {}, async (call, client) => {
    const tools = (await client.listTools()).tools.map((t: { name: string }) => t.name).sort();
    assert.deepEqual(tools, ["cloudtrail_changes", "cloudtrail_events", "generate_policy"]);
    const changes = await call("cloudtrail_changes", { from: ALERT.from, to: ALERT.to });
    assert.equal(changes.isError, undefined);
    assert.match(changes.content[0]!.text, /^### CloudTrail \/ Infrastructure Changes\n/);
    const report = JSON.parse(changes.content[1]!.text);
    assert.equal(report.metadata.eventCount, 13);
    assert.equal(report.metadata.source, "log-dir");
    const events = await call("cloudtrail_events", {
      principalArn: "arn:aws:iam::111122223333:user/alice",
      from: "2024-03-01",
      to: "2024-03-02",
      maxEvents: 2,
    });
    assert.equal(events.content[0]!.text, "2 records from log-dir (capped at 2; narrow the window for the rest)");
    const records = JSON.parse(events.content[1]!.text);
    assert.equal(records.Records.length, 2);
    assert.equal(records.truncated, true);
    const policy = await call("generate_policy", {
      principalArn: "arn:aws:iam::111122223333:role/ops",
      from: "2024-03-01",
      to: "2024-03-02",
    });
    assert.deepEqual(JSON.parse(policy.content[0]!.text).Statement[0].Action, [
      "autoscaling:SetDesiredCapacity",
      "autoscaling:UpdateAutoScalingGroup",
      "elasticloadbalancing:DeregisterTargets",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
    ]);
    const given = await call("generate_policy", { records: incidentRecords().slice(0, 2) });
    assert.match(
      given.content[1]!.text,
      /^2 records -> 1 statements\ncheck: 2 observed calls \(action on resource\): 2 allowed, 0 denied; 0 granted actions unused$/,
    );
    // As generate --resources precise and --compact: concrete ARNs, wildcards, and a self-check with nothing denied.
    const fixture = JSON.parse(await Deno.readTextFile("tests/fixtures/generate/resource_arns.records.json"));
    const precise = await call("generate_policy", { records: fixture.Records, resources: "precise" });
    assert.ok(precise.content[0]!.text.includes('"arn:aws:sqs:eu-west-1:444455556666:jobs"'), precise.content[0]!.text);
    assert.match(precise.content[1]!.text, /, 0 denied;/);
    const compact = await call("generate_policy", { records: fixture.Records, compact: true });
    assert.ok(compact.content[0]!.text.includes('"ssm:GetParameter*"'), compact.content[0]!.text);
    assert.match(compact.content[1]!.text, /, 0 denied;/);
  });
});

Deno.test("mcp: with --allow-aws-read it asks the CloudTrail API; without, a gate refuses and no request is made", async () => {
  await withPeer({}, async (endpoint, peer) => {
    await withServer([], { AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint }, async (call) => {
      const refused = await call("cloudtrail_changes", { from: ALERT.from, to: ALERT.to });
      assert.equal(refused.isError, true);
      assert.match(refused.content[0]!.text, /^AWS access is off: start the server with --allow-aws-read/);
    });
    assert.equal(peer.requests.length, 0);
    await withServer(["--allow-aws-read", "--region-allowlist", "eu-west-1,us-east-1"], {
      AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint,
    }, async (call) => {
      const changes = await call("cloudtrail_changes", {
        from: ALERT.from,
        to: ALERT.to,
        regions: ["eu-west-1", "us-east-1"],
      });
      assert.equal(changes.isError, undefined, changes.content[0]?.text);
      assert.equal(JSON.parse(changes.content[1]!.text).metadata.eventCount, 13);
      const outside = await call("cloudtrail_events", { regions: ["ap-south-1"] });
      assert.equal(outside.isError, true);
      assert.equal(
        outside.content[0]!.text,
        'region "ap-south-1" is not in the region allowlist (eu-west-1, us-east-1)',
      );
      const bad = await call("cloudtrail_changes", { maxEvents: 1000 });
      assert.equal(bad.isError, true);
      assert.match(bad.content[0]!.text, /Number must be less than or equal to 100 at maxEvents/);
      const events = await call("cloudtrail_events", {
        principalArn: "arn:aws:iam::111122223333:user/alice",
        from: "2024-03-01",
        to: "2024-03-02",
      });
      assert.equal(events.content[0]!.text, "3 records from cloudtrail-api"); // eu-west-1 only, the server's region
    });
    assert.ok(peer.requests.every((q) => q.target.endsWith("LookupEvents")), "only read APIs");
  });
});

Deno.test("mcp: AccessDenied is a tool error naming cloudtrail:LookupEvents; the server goes on", async () => {
  await withPeer({ deny: true }, async (endpoint) => {
    await withServer(["--allow-aws-read"], { AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint }, async (call) => {
      for (const tool of ["cloudtrail_changes", "cloudtrail_events"]) {
        const denied = await call(tool, { from: ALERT.from, to: ALERT.to });
        assert.equal(denied.isError, true, tool);
        assert.match(
          denied.content[0]!.text,
          /^access denied while looking up events in eu-west-1: the caller needs cloudtrail:LookupEvents/,
        );
      }
    });
  });
});

Deno.test("mcp: concurrent tool calls share one pacer per region: 2 requests/s together, never throttled", async () => {
  const many = Array.from({ length: 150 }, (_, i) => ({
    ...incidentRecords()[1]!,
    eventID: `burst-${i}`,
    eventTime: new Date(Date.parse("2024-03-01T09:40:00Z") + i * 1000).toISOString().replace(".000Z", "Z"),
  }));
  await withPeer({ events: { "eu-west-1": many } }, async (endpoint, peer) => {
    await withServer(["--allow-aws-read"], { AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint }, async (call) => {
      const args = { from: "2024-03-01T09:00:00Z", to: "2024-03-01T10:00:00Z", maxEvents: 500 };
      const answers = await Promise.all([call("cloudtrail_events", args), call("cloudtrail_events", args)]);
      for (const a of answers) assert.equal(JSON.parse(a.content[1]!.text).Records.length, 150);
    });
    const starts = peer.requests.map((q) => q.at).sort((a, b) => a - b);
    assert.equal(starts.length, 6);
    assert.ok(peer.requests.every((q) => q.status === 200), "throttled");
    // The pacer spaces request starts 510 ms apart in the server; their arrival here jitters (one late arrival made a
    // 448 ms gap at load 7.8), so each gap only has to show pacing (unpaced calls arrive together) and the average
    // the rate.
    for (let i = 1; i < starts.length; i++) {
      assert.ok(starts[i]! - starts[i - 1]! >= 380, `gap ${i}: ${starts[i]! - starts[i - 1]!} ms`);
    }
    const average = (starts.at(-1)! - starts[0]!) / (starts.length - 1);
    assert.ok(average >= 480, `${average.toFixed(0)} ms between requests on average`);
  });
});
