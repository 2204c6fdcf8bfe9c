/**
 * One region rule for every AWS command: --region where the command has it, else
 * AWS_REGION, AWS_DEFAULT_REGION or the profile's region, else us-east-1, said on stderr.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REGION_FALLBACK_NOTE } from "../../src/sources/aws_options.ts";
import { refusedEndpoint } from "../helpers/cloudtrail_peer.ts";
import { runCli } from "../helpers/fake_io.ts";
import { syncArgs } from "../helpers/sync_bucket.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";

const WINDOW = ["--from", "2024-03-01", "--to", "2024-03-02"];

async function commands(endpoint: string): Promise<[string, string[]][]> {
  const dir = await Deno.makeTempDir();
  const logs = join(dir, "logs");
  return [
    ["select --use-cloudtrail-api", ["select", "--use-cloudtrail-api", "--endpoint-url", endpoint, ...WINDOW]],
    ["changes", ["changes", "--endpoint-url", endpoint, ...WINDOW]],
    ["download", [
      "download",
      "--bucket",
      "b",
      "--account-id",
      "111122223333",
      "--region",
      "eu-west-1",
      "--log-dir",
      logs,
      "--endpoint-url",
      endpoint,
      ...WINDOW,
    ]],
    ["sync", syncArgs(["--bucket", "b"], dir, endpoint)],
  ];
}

Deno.test("every AWS command without a configured region says on stderr that it uses us-east-1", async (t) => {
  // A refused endpoint: the rule applies before the first request, and no command waits on the network.
  for (const [name, args] of await commands(refusedEndpoint())) {
    await t.step(name, async () => {
      const none = await runCli(args, { env: { AWS_REGION: undefined }, clock: new VirtualClock() });
      assert.equal(none.stderr.split(REGION_FALLBACK_NOTE).length, 2, none.stderr);
      const configured = await runCli(args, { env: { AWS_DEFAULT_REGION: "eu-west-1", AWS_REGION: undefined } });
      assert.doesNotMatch(configured.stderr, /no AWS region configured/);
    });
  }
});

Deno.test("the profile's region counts as configured, read from the config file the environment names", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "config"), "[profile ops]\nregion = ap-south-1\n");
  const args = ["changes", "--profile", "ops", "--endpoint-url", refusedEndpoint(), ...WINDOW];
  const r = await runCli(args, { env: { AWS_REGION: undefined, AWS_CONFIG_FILE: join(dir, "config") } });
  assert.doesNotMatch(r.stderr, /no AWS region configured/);
  assert.match(r.stderr, /looking up events in ap-south-1/);
});
