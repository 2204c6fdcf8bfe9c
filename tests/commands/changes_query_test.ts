/** The typed `changes` query: built from the command's option strings (checks, env fallbacks, error order) and by the MCP tool. */
import assert from "node:assert/strict";
import { ALERT } from "../../scripts/incident_records.ts";
import type { ChangeReport } from "../../src/core/changes/change_report.ts";
import { type ChangesOptions, changesQuery } from "../../src/commands/changes_query.ts";
import { changesTool, type ToolContext } from "../../src/commands/mcp_tools.ts";
import { UsageError } from "../../src/runtime/errors.ts";
import { denoIo } from "../../src/runtime/io.ts";
import { runCli } from "../helpers/fake_io.ts";

const NOW = Date.parse("2024-03-01T12:00:00Z");
const OPTIONS: ChangesOptions = {
  from: "2024-03-01T10:00:00Z",
  to: "now",
  region: [],
  perCategory: "5",
  format: "json",
  bestEffort: false,
  resource: [],
  category: [],
  actor: [],
  failed: true,
  workers: 2,
  verbose: false,
};

const envOf = (vars: Record<string, string>) => (name: string): string | undefined => vars[name];
const build = (options: Partial<ChangesOptions>, env: Record<string, string> = {}) =>
  changesQuery({ ...OPTIONS, ...options }, { now: NOW, env: envOf(env) });

/** The one-line UsageError a build throws. */
function usageError(options: Partial<ChangesOptions>, env: Record<string, string> = {}): string {
  try {
    build(options, env);
  } catch (e) {
    assert.ok(e instanceof UsageError, `a UsageError, not ${e}`);
    assert.ok(!e.message.includes("\n"), e.message);
    return e.message;
  }
  assert.fail(`no error for ${JSON.stringify(options)} ${JSON.stringify(env)}`);
}

Deno.test("changesQuery(): the options as typed settings, with the defaults where they and the environment say nothing", () => {
  const query = build({
    region: ["eu-west-1", "us-east-1", "eu-west-1"],
    category: ["iam"],
    actor: ["arn:aws:iam::111122223333:role/ci"],
    resource: ["sg-1"],
    failed: false,
    logDir: "~/logs",
    profile: "audit",
    endpointUrl: "http://127.0.0.1:1",
  });
  assert.deepEqual(query, {
    alertFrom: Date.parse("2024-03-01T10:00:00Z"),
    alertTo: NOW,
    lookbackMinutes: 30,
    maxEvents: 50,
    perCategory: 5,
    regions: ["eu-west-1", "us-east-1"],
    allowlist: undefined,
    categories: ["iam"],
    actors: ["arn:aws:iam::111122223333:role/ci"],
    resources: ["sg-1"],
    includeFailed: false,
    bestEffort: false,
    logDir: "~/logs",
    workers: 2,
    profile: "audit",
    endpointUrl: "http://127.0.0.1:1",
    verbose: false,
  });
});

Deno.test("changesQuery(): the environment fills in lookback, max events and the allowlist; options win over it", () => {
  const env = {
    AWS_CLOUDTRAIL_LOOKBACK_MINUTES: "90",
    AWS_CLOUDTRAIL_MAX_EVENTS: "7",
    TRAILSCRAPER_REGION_ALLOWLIST: " eu-west-1, ,us-east-1 ",
  };
  const fromEnv = build({ region: ["us-east-1"] }, env);
  assert.equal(fromEnv.lookbackMinutes, 90);
  assert.equal(fromEnv.maxEvents, 7);
  assert.deepEqual(fromEnv.allowlist, ["eu-west-1", "us-east-1"]);
  const given = build({ lookback: "0", maxEvents: "3", regionAllowlist: "ap-south-1", region: ["ap-south-1"] }, env);
  assert.equal(given.lookbackMinutes, 0);
  assert.equal(given.maxEvents, 3);
  assert.deepEqual(given.allowlist, ["ap-south-1"]);
  assert.equal(build({ regionAllowlist: " , " }, env).allowlist, undefined, "an empty list allows any region");
});

Deno.test("changesQuery(): each bad input is a one-line usage error naming it", () => {
  const hint = '(try 2024-03-01, 2024-03-01T09:40Z, "one hour ago")';
  const cases: [Partial<ChangesOptions>, Record<string, string>, string][] = [
    [{ from: "yesterday-ish" }, {}, `invalid value for --from: "yesterday-ish" ${hint}`],
    [{ to: "2024-13-45" }, {}, `invalid value for --to: "2024-13-45" ${hint}`],
    [
      { from: "now", to: "one hour ago" },
      {},
      "--from (now) is after --to (one hour ago): nothing can be in that range",
    ],
    [{ lookback: "-5" }, {}, '--lookback takes a whole number of at least 0, got "-5"'],
    [{ lookback: "1.5" }, {}, '--lookback takes a whole number of at least 0, got "1.5"'],
    [{}, { AWS_CLOUDTRAIL_LOOKBACK_MINUTES: "ten" }, '--lookback takes a whole number of at least 0, got "ten"'],
    [{ maxEvents: "0" }, {}, '--max-events takes a whole number of at least 1, got "0"'],
    [{}, { AWS_CLOUDTRAIL_MAX_EVENTS: "" }, '--max-events takes a whole number of at least 1, got ""'],
    [{ perCategory: "0x5" }, {}, '--per-category takes a whole number of at least 1, got "0x5"'],
    [
      { region: ["eu-west-1"], regionAllowlist: "us-east-1" },
      {},
      'region "eu-west-1" is not in the region allowlist (us-east-1)',
    ],
    [
      { region: ["eu-west-1"] },
      { TRAILSCRAPER_REGION_ALLOWLIST: "us-east-1,us-west-2" },
      'region "eu-west-1" is not in the region allowlist (us-east-1, us-west-2)',
    ],
    [{ category: ["iam", "kitchen"] }, {}, 'unknown category "kitchen"'],
  ];
  for (const [options, env, message] of cases) assert.equal(usageError(options, env), message);
});

Deno.test("changesQuery(): a bad time is named before a bad number, a bad number before a refused region or category", () => {
  const badNumbers = { lookback: "x", maxEvents: "0", perCategory: "0" };
  assert.match(usageError({ ...badNumbers, to: "soon" }), /^invalid value for --to: "soon"/);
  assert.match(usageError({ from: "later" }, { AWS_CLOUDTRAIL_LOOKBACK_MINUTES: "x" }), /^invalid value for --from/);
  assert.match(usageError(badNumbers), /^--lookback /);
  assert.match(usageError({ ...badNumbers, lookback: "1" }), /^--max-events /);
  assert.match(
    usageError({ perCategory: "0", region: ["eu-west-1"], regionAllowlist: "us-east-1" }),
    /^--per-category /,
  );
  assert.match(usageError({ region: ["eu-west-1"], regionAllowlist: "us-east-1", category: ["x"] }), /^region /);
});

/** A tool context over the incident sample, with the server's environment. */
function toolContext(env: Record<string, string>, regionAllowlist?: string[]): ToolContext {
  return {
    gates: { allowAwsRead: false, regionAllowlist },
    io: { ...denoIo(), env: envOf(env) },
    logDir: "data/sample/incident",
    pacerFor: () => ({ take: () => Promise.resolve() }) as never,
    defaultRegion: "us-east-1",
  };
}

Deno.test("mcp cloudtrail_changes: its typed query takes the tool's defaults, the server's lookback and the gates' allowlist", async () => {
  const call = async (ctx: ToolContext, input: Parameters<typeof changesTool>[1]) => {
    const answer = await changesTool(ctx, { from: ALERT.from, to: ALERT.to, ...input });
    assert.ok(!answer.isError, answer.content[0]?.text);
    return (JSON.parse(answer.content[1]!.text) as ChangeReport).metadata;
  };
  const defaults = await call(toolContext({}), {});
  assert.equal(defaults.lookbackMinutes, 30);
  assert.equal(defaults.maxEvents, 20);
  assert.equal((await call(toolContext({ AWS_CLOUDTRAIL_LOOKBACK_MINUTES: "45" }), {})).lookbackMinutes, 45);
  assert.equal(
    (await call(toolContext({ AWS_CLOUDTRAIL_LOOKBACK_MINUTES: "45" }), { lookbackMinutes: 5 })).lookbackMinutes,
    5,
  );
  // The server's gates decide the regions (an empty --region-allowlist allows any): the environment does not refuse again.
  const open = toolContext({ TRAILSCRAPER_REGION_ALLOWLIST: "us-east-1" });
  assert.deepEqual((await call(open, { regions: ["eu-west-1", "eu-west-1"] })).regions, ["eu-west-1"]);
  const bad = await changesTool(toolContext({ AWS_CLOUDTRAIL_LOOKBACK_MINUTES: "ten" }), { from: "whenever" });
  assert.equal(
    bad.content[0]!.text,
    'invalid value for from: "whenever" (try 2024-03-01, 2024-03-01T09:40Z, "one hour ago")',
  );
  const badEnv = await changesTool(toolContext({ AWS_CLOUDTRAIL_LOOKBACK_MINUTES: "ten" }), {});
  assert.equal(badEnv.content[0]!.text, 'lookbackMinutes takes a whole number of at least 0, got "ten"');
});

Deno.test("changes: a lookback too long for a date to hold its start is a usage error, not an unexpected failure", async () => {
  const huge = "9".repeat(15); // minutes: the window would start ~1.9 billion years before the alert
  const message = `--lookback takes at most 52560000 minutes (100 years), got "${huge}"`;
  assert.equal(usageError({ lookback: huge }), message);
  assert.equal(usageError({}, { AWS_CLOUDTRAIL_LOOKBACK_MINUTES: huge }), message);
  assert.equal(build({ lookback: "52560000" }).lookbackMinutes, 52_560_000);
  const args = ["changes", "--log-dir", "data/sample/incident", "--from", ALERT.from, "--to", ALERT.to];
  for (const [extra, env] of [[["--lookback", huge], {}], [[], { AWS_CLOUDTRAIL_LOOKBACK_MINUTES: huge }]] as const) {
    const r = await runCli([...args, ...extra], { env });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.split("\n")[0], `error: ${message}`);
  }
  const tool = await changesTool(toolContext({ AWS_CLOUDTRAIL_LOOKBACK_MINUTES: huge }), {});
  assert.equal(tool.content[0]!.text, message.replace("--lookback", "lookbackMinutes"));
});

Deno.test("changesQuery(): --actor takes every ARN shape CloudTrail names an actor by, in every partition", () => {
  const actors = [
    "arn:aws:iam::123456789012:root",
    "arn:aws:iam::123456789012:user/dev/ci.deploy+x=y,z@corp-1",
    "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef",
    "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane.doe@example.com",
    "arn:aws:sts::123456789012:assumed-role/ec2-role/i-0123456789abcdef0",
    "arn:aws:sts::123456789012:federated-user/Bob",
    "arn:aws-us-gov:iam::123456789012:user/x",
    "arn:aws-cn:sts::123456789012:assumed-role/r/s",
    "arn:aws-iso-b:iam::123456789012:role/r",
  ];
  assert.deepEqual(build({ actor: actors.map((a) => ` ${a}\n`) }).actors, actors);
});
