/**
 * A malformed AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL_CLOUDTRAIL is a usage error (exit 2) naming
 * the variable and the value, like a malformed --endpoint-url: before, the AWS SDK failed with "TypeError: Invalid URL".
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../helpers/fake_io.ts";

const WINDOW = ["--from", "2024-03-01", "--to", "2024-03-02"];
const BUCKET = ["--bucket", "trail-logs", "--account-id", "111122223333", "--region", "eu-west-1"];

/** Every command that calls AWS, with the service whose variable it reads. */
function commands(dir: string): [string, "S3" | "CLOUDTRAIL", string[]][] {
  return [
    ["select", "CLOUDTRAIL", ["select", "--use-cloudtrail-api", "--region", "eu-west-1", ...WINDOW]],
    ["changes", "CLOUDTRAIL", ["changes", "--region", "eu-west-1", ...WINDOW]],
    ["download", "S3", ["download", ...BUCKET, "--log-dir", join(dir, "logs"), ...WINDOW]],
    ["validate", "S3", ["validate", ...BUCKET, ...WINDOW]],
    ["sync", "S3", ["sync", "--bucket", "trail-logs", "--state-db", join(dir, "s.db"), "--events-dir", join(dir, "e")]],
    ["sync init", "CLOUDTRAIL", ["sync", "init", join(dir, "sync.jsonc"), "--region", "eu-west-1"]],
  ];
}

Deno.test("a malformed AWS_ENDPOINT_URL* is a usage error naming the variable and the value", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    for (const value of ["localhost:4566", "http://", "not a url", "ftp://127.0.0.1/"]) {
      for (const [name, service, args] of commands(dir)) {
        for (const variable of ["AWS_ENDPOINT_URL", `AWS_ENDPOINT_URL_${service}`]) {
          await t.step(`${name} ${variable}=${value}`, async () => {
            const r = await runCli(args, { env: { [variable]: value } });
            assert.equal(r.code, 2, r.stderr);
            // One error line (select --use-cloudtrail-api says its 90-day note first).
            assert.deepEqual(r.stderr.split("\n").filter((line) => line.startsWith("error:")), [
              `error: ${variable} takes an http:// or https:// URL with a host, got "${value}"`,
            ]);
            assert.match(r.stderr, /^Run 'trailscraper .*--help' for usage\.$/m);
            assert.doesNotMatch(r.stderr, /TypeError|Invalid URL/);
            assert.equal(r.stdout, "");
          });
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("only the endpoint a command uses is checked: --endpoint-url, then the service's variable, then the general", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sync = commands(dir)[4]![2];
    const refused = "http://127.0.0.1:1";
    const flag = await runCli([...sync, "--endpoint-url", refused], { env: { AWS_ENDPOINT_URL_S3: "localhost:4566" } });
    assert.doesNotMatch(flag.stderr, /AWS_ENDPOINT_URL_S3 takes/, flag.stderr);
    assert.match(flag.stderr, /127\.0\.0\.1:1/);
    const own = await runCli(sync, { env: { AWS_ENDPOINT_URL_S3: refused, AWS_ENDPOINT_URL: "not a url" } });
    assert.doesNotMatch(own.stderr, /takes an http/, own.stderr);
    // A CloudTrail command does not read the S3 variable.
    const changes = await runCli([...commands(dir)[1]![2], "--endpoint-url", refused], {
      env: { AWS_ENDPOINT_URL_S3: "not a url" },
    });
    assert.doesNotMatch(changes.stderr, /AWS_ENDPOINT_URL_S3/, changes.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
