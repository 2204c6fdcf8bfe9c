/**
 * A dead endpoint (connection refused on 127.0.0.1) fails every AWS command at once,
 * with one line naming the endpoint, and without the throttling or "wait 15 minutes"
 * advice: connection errors are not retried like throttling (virtual time shows it).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { refusedEndpoint } from "../helpers/cloudtrail_peer.ts";
import { runCli } from "../helpers/fake_io.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { syncArgs } from "../helpers/sync_bucket.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";

const WINDOW = ["--from", "2024-03-01", "--to", "2024-03-02"];

async function commandsAgainst(endpoint: string): Promise<[string, string[]][]> {
  /** An S3 command on the trail bucket of one account and region, against `endpoint`, in the window. */
  const trailBucket = (command: string) => [
    command,
    ...["--bucket", "trail-logs", "--account-id", "111122223333", "--region", "eu-west-1"],
    ...["--endpoint-url", endpoint, ...WINDOW],
  ];
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
    ["download", [...trailBucket("download"), "--log-dir", join(dir, "logs")]],
    ["sync", syncArgs(["--bucket", "trail-logs"], dir, endpoint)],
    ["validate", trailBucket("validate")],
    ["sync init", ["sync", "init", join(dir, "sync.jsonc"), "--region", "eu-west-1", "--endpoint-url", endpoint]],
  ];
}

Deno.test("a refused connection fails every AWS command at once, naming the endpoint, with no throttling advice", async (t) => {
  const endpoint = refusedEndpoint();
  // The endpoint as the user gave it: scheme, host and port (S3 commands named only the host and port).
  const named = endpoint.replaceAll(".", "\\.");
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

Deno.test("sync init and changes against an endpoint that is not CloudTrail say so in words, naming the endpoint", async () => {
  const html = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response("<html><body>Not Found</body></html>", { status: 404, headers: { "content-type": "text/html" } }),
  );
  const page = `http://127.0.0.1:${(html.addr as Deno.NetAddr).port}`;
  const s3 = await startS3Peer(); // the S3 endpoint given where CloudTrail's belongs: "Unknown: UnknownError" before
  try {
    const dir = await Deno.makeTempDir();
    const init = await runCli([
      "sync",
      "init",
      join(dir, "s.jsonc"),
      "--region",
      "eu-west-1",
      "--endpoint-url",
      s3.endpoint,
    ]);
    assert.equal(init.code, 1);
    assert.equal(
      init.stderr,
      `error: describing the trails in eu-west-1 failed: the endpoint ${s3.endpoint} answered HTTP 400 without an AWS ` +
        "error (is it the right endpoint for this service? check --endpoint-url and AWS_ENDPOINT_URL)\n",
    );
    const changes = await runCli(["changes", "--region", "eu-west-1", "--endpoint-url", page, ...WINDOW], {
      clock: new VirtualClock(),
    });
    assert.equal(changes.code, 1);
    assert.match(changes.stderr, new RegExp(`the endpoint ${page} answered HTTP 404 without an AWS error`));
    assert.doesNotMatch(changes.stderr + init.stderr, /UnknownError|SyntaxError/);
  } finally {
    await s3.stop();
    await html.shutdown();
  }
});

Deno.test("a dead endpoint from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL is named as given, scheme included", async () => {
  const endpoint = refusedEndpoint();
  const dir = await Deno.makeTempDir();
  try {
    for (const variable of ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]) {
      const args = syncArgs(["--bucket", "trail-logs"], dir, endpoint).filter((a) => a !== endpoint);
      const r = await runCli(args.filter((a) => a !== "--endpoint-url"), {
        clock: new VirtualClock(),
        env: { [variable]: endpoint },
      });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: cannot reach ${endpoint.replaceAll(".", "\\.")} while `, "m"));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
