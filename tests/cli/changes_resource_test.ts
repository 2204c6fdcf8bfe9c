/**
 * `changes --resource` and `--actor`: a blank one is a usage error; white space around one is trimmed; an actor that
 * is not an ARN is a usage error; a resource that matches nothing says so on stderr.
 */
import assert from "node:assert/strict";
import { refusedEndpoint } from "../helpers/cloudtrail_peer.ts";
import { runCli } from "../helpers/fake_io.ts";

const INCIDENT = ["--log-dir", "data/sample/incident", "--from", "2024-03-01T10:00Z", "--to", "2024-03-01T10:15Z"];

Deno.test("changes: a blank --resource is a usage error naming the option (it matched nothing, silently)", async () => {
  const api = [
    "--region",
    "eu-west-1",
    "--endpoint-url",
    refusedEndpoint(),
    "--from",
    "2024-03-01",
    "--to",
    "2024-03-02",
  ];
  for (const source of [INCIDENT, api]) {
    for (const blank of ["", "   ", "\t"]) {
      const r = await runCli(["changes", ...source, "--resource", "sg-0a1b2c3d", "--resource", blank]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `error: --resource takes a resource id or name, got ${JSON.stringify(blank)}\n` +
          "Run 'trailscraper changes --help' for usage.\n",
      );
    }
  }
});

Deno.test("changes: a --resource that matches nothing says that no change named it in the window", async () => {
  const r = await runCli(["changes", ...INCIDENT, "--resource", "sg-nothing", "--resource", "web-nothing"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /No infrastructure changes found in this window\./);
  assert.equal(
    r.stderr,
    "changes: 0 found, 0 shown\n" +
      'note: no change from 2024-03-01T09:30:00Z to 2024-03-01T10:15:00Z named "sg-nothing" or "web-nothing" ' +
      "(--resource): check the id, or widen the window with --from or --lookback\n",
  );
  // A resource that does match: no note.
  const all = JSON.parse((await runCli(["changes", ...INCIDENT, "--format", "json"])).stdout);
  const named = all.events.flatMap((e: { resources: string[] }) => e.resources)[0] as string;
  const found = await runCli(["changes", ...INCIDENT, "--resource", named.split("/").at(-1)!]);
  assert.equal(found.code, 0, found.stderr);
  assert.doesNotMatch(found.stderr, /note:/);
});

Deno.test("mcp cloudtrail_changes: a blank resourceIds entry is a tool error naming it", async () => {
  const { changesTool } = await import("../../src/commands/mcp_tools.ts");
  const { denoIo } = await import("../../src/runtime/io.ts");
  const ctx = {
    gates: { allowAwsRead: false, regionAllowlist: undefined },
    io: denoIo(),
    logDir: "data/sample/incident",
    pacerFor: () => ({ take: () => Promise.resolve() }) as never,
    defaultRegion: "us-east-1",
  };
  const answer = await changesTool(ctx, { from: "2024-03-01T10:00Z", to: "2024-03-01T10:15Z", resourceIds: [" "] });
  assert.ok(answer.isError);
  assert.match(answer.content[0]!.text, /resourceIds takes a resource id or name, got " "/);
});

Deno.test("changes: a blank or non-ARN --actor is a usage error naming the option (it matched nothing, silently)", async () => {
  const api = [
    "--region",
    "eu-west-1",
    "--endpoint-url",
    refusedEndpoint(),
    "--from",
    "2024-03-01",
    "--to",
    "2024-03-02",
  ];
  for (const source of [INCIDENT, api]) {
    for (
      const [bad, why] of [
        ["", "a role, user or session ARN"],
        ["   ", "a role, user or session ARN"],
        ["ci-deploy", "a role, user or session ARN"],
        // Starts like an ARN and is none: it could match no actor (the filter compares whole ARNs).
        ["arn:", "a role, user or session ARN"],
        ["arn:aws:iam::111122223333", "a role, user or session ARN"],
      ]
    ) {
      const r = await runCli(["changes", ...source, "--actor", "arn:aws:iam::111122223333:role/x", "--actor", bad!]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `error: --actor takes ${why}, got ${JSON.stringify(bad)}\n` + "Run 'trailscraper changes --help' for usage.\n",
      );
    }
  }
});

/** The events of the incident sample as `changes --format json` reports them with `extra` options. */
async function incidentEvents(...extra: string[]): Promise<{ eventName: string; resources: string[] }[]> {
  const r = await runCli(["changes", ...INCIDENT, "--format", "json", ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).events;
}

Deno.test("changes: white space around a --resource or an --actor is trimmed (it matched nothing, silently)", async () => {
  const all = await incidentEvents();
  const resource = all.flatMap((e) => e.resources)[0]!.split("/").at(-1)!;
  const byResource = await incidentEvents("--resource", resource);
  assert.ok(byResource.length > 0 && byResource.length < all.length, "the resource picks some changes");
  assert.deepEqual(await incidentEvents("--resource", ` ${resource}\t`), byResource);
  const { arn } = JSON.parse((await runCli(["changes", ...INCIDENT, "--format", "json"])).stdout).events[0].actor;
  const byActor = await incidentEvents("--actor", arn);
  assert.ok(byActor.length > 0, "the actor made some changes");
  assert.deepEqual(await incidentEvents("--actor", `  ${arn} `), byActor);
});

Deno.test("mcp cloudtrail_changes: white space around a resourceIds entry is trimmed, as for --resource", async () => {
  const { changesTool } = await import("../../src/commands/mcp_tools.ts");
  const { denoIo } = await import("../../src/runtime/io.ts");
  const ctx = {
    gates: { allowAwsRead: false, regionAllowlist: undefined },
    io: denoIo(),
    logDir: "data/sample/incident",
    pacerFor: () => ({ take: () => Promise.resolve() }) as never,
    defaultRegion: "us-east-1",
  };
  const resource = (await incidentEvents()).flatMap((e) => e.resources)[0]!.split("/").at(-1)!;
  const events = async (id: string) => {
    const window = { from: "2024-03-01T10:00Z", to: "2024-03-01T10:15Z" };
    const answer = await changesTool(ctx, { ...window, resourceIds: [id] });
    assert.ok(!answer.isError, answer.content[0]!.text);
    return JSON.parse(answer.content[1]!.text).events.map((e: { eventName: string }) => e.eventName);
  };
  const exact = await events(resource);
  assert.ok(exact.length > 0);
  assert.deepEqual(await events(` ${resource} `), exact);
});
