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
    // The server checks at start what every AWS tool call would use (it was a tool error at each call).
    ["mcp", "CLOUDTRAIL", ["mcp", "--allow-aws-read"]],
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
            // The usage error alone: no note before it (select --use-cloudtrail-api said its 90-day note first).
            assert.equal(
              r.stderr,
              `error: ${variable} takes an http:// or https:// URL with a host, got "${value}"\n` +
                `Run 'trailscraper ${
                  args[0] === "sync" && args[1] === "init" ? "sync init" : args[0]
                } --help' for usage.\n`,
            );
            assert.equal(r.stdout, "");
          });
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mcp checks the endpoint variable only when it may call AWS (AWS access on, no --log-dir)", async () => {
  for (const args of [["mcp"], ["mcp", "--allow-aws-read", "--log-dir", "data/sample/incident"]]) {
    const r = await runCli(args, { env: { AWS_ENDPOINT_URL_CLOUDTRAIL: "not a url" } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^trailscraper mcp: serving on stdio/);
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

Deno.test("a malformed endpoint_url in the AWS config file is a usage error naming the profile and the file", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const config = join(dir, "config");
    await Deno.writeTextFile(
      config,
      "[default]\nregion = eu-west-1\nendpoint_url = localhost:4566\n\n[profile ops]\nendpoint_url = not a url\n" +
        "[profile fine]\nendpoint_url = http://127.0.0.1:1\n",
    );
    for (const [profile, value] of [["default", "localhost:4566"], ["ops", "not a url"]]) {
      for (const [name, , args] of commands(dir)) {
        await t.step(`${name} profile ${profile}`, async () => {
          const env = { AWS_CONFIG_FILE: config, ...(profile === "default" ? {} : { AWS_PROFILE: profile }) };
          const r = await runCli(args, { env });
          assert.equal(r.code, 2, r.stderr);
          assert.equal(
            r.stderr.split("\n")[0],
            `error: endpoint_url of profile "${profile}" in "${config}" takes an http:// or https:// URL with a host, ` +
              `got "${value}"`,
          );
          assert.equal(r.stdout, "");
        });
      }
    }
    // Not used, so not checked: an endpoint variable wins over the file, and the SDK may be told to ignore the file.
    // (mcp checks at start and then ends with its stdin, without calling AWS.)
    for (
      const env of [
        { AWS_ENDPOINT_URL_CLOUDTRAIL: "http://127.0.0.1:1" },
        { AWS_ENDPOINT_URL: "http://127.0.0.1:1" },
        { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" },
        { AWS_PROFILE: "fine" },
      ]
    ) {
      const r = await runCli(["mcp", "--allow-aws-read"], { env: { AWS_CONFIG_FILE: config, ...env } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /trailscraper mcp: serving on stdio/, JSON.stringify(env));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
