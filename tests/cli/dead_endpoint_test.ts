/**
 * A dead endpoint (connection refused on 127.0.0.1) fails every AWS command at once,
 * with one line naming the endpoint, and without the throttling or "wait 15 minutes"
 * advice: connection errors are not retried like throttling (virtual time shows it).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { refusedEndpoint } from "../helpers/cloudtrail_peer.ts";
import { runCli } from "../helpers/fake_io.ts";
import { syncArgs } from "../helpers/sync_bucket.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";

const WINDOW = ["--from", "2024-03-01", "--to", "2024-03-02"];

async function commandsAgainst(endpoint: string): Promise<[string, string[]][]> {
  const dir = await Deno.makeTempDir();
  return [
    ["select --use-cloudtrail-api", [
      "select",
      "--use-cloudtrail-api",
      "--region",
      "eu-west-1",
      "--region",
      "us-east-1",
      "--endpoint-url",
      endpoint,
      ...WINDOW,
    ]],
    ["changes", ["changes", "--region", "eu-west-1", "--region", "us-east-1", "--endpoint-url", endpoint, ...WINDOW]],
    ["changes --best-effort", [
      "changes",
      "--best-effort",
      "--format",
      "json",
      "--region",
      "eu-west-1",
      "--endpoint-url",
      endpoint,
      ...WINDOW,
    ]],
    ["download", [
      "download",
      "--bucket",
      "trail-logs",
      "--account-id",
      "111122223333",
      "--region",
      "eu-west-1",
      "--log-dir",
      join(dir, "logs"),
      "--endpoint-url",
      endpoint,
      ...WINDOW,
    ]],
    ["sync", syncArgs(["--bucket", "trail-logs"], dir, endpoint)],
    ["sync init", ["sync", "init", join(dir, "sync.jsonc"), "--region", "eu-west-1", "--endpoint-url", endpoint]],
  ];
}

Deno.test("a refused connection fails every AWS command at once, naming the endpoint, with no throttling advice", async (t) => {
  const endpoint = refusedEndpoint();
  // The configured URL, or the host and port the refused connection went to: either names the endpoint.
  const named = `(${endpoint}|${endpoint.slice("http://".length)})`.replaceAll(".", "\\.");
  for (const [name, args] of await commandsAgainst(endpoint)) {
    await t.step(name, async () => {
      const clock = new VirtualClock();
      const start = clock.now();
      const r = await runCli(args, { clock });
      const waited = clock.now() - start;
      const lines = r.stderr.trimEnd().split("\n");
      const last = lines.at(-1)!;
      if (name === "changes --best-effort") {
        assert.equal(r.code, 0, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.match(report.metadata.errors[0], new RegExp(`cannot reach ${named}.*connection refused`));
      } else {
        assert.equal(r.code, 1, r.stderr);
        assert.match(
          last,
          new RegExp(`^error: cannot reach ${named} while .*: connection refused; check --endpoint-url`),
        );
      }
      assert.ok(waited < 1000, `${name} backed off ${waited} ms of virtual time before giving up`);
      assert.doesNotMatch(r.stderr, /throttl|try again later|15 minutes/i);
      assert.equal(r.stderr.match(/cannot reach/g)?.length, 1, r.stderr);
    });
  }
});
