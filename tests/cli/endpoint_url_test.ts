/**
 * A malformed `--endpoint-url` is a usage error (exit 2) naming the option and the value, for every command
 * that takes one: before, the AWS SDK failed later with "TypeError: Invalid [...]".
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../helpers/fake_io.ts";

const WINDOW = ["--from", "2024-03-01", "--to", "2024-03-02"];

function commands(dir: string, url: string): [string, string[]][] {
  const at = ["--endpoint-url", url];
  return [
    ["select", ["select", "--use-cloudtrail-api", "--region", "eu-west-1", ...at, ...WINDOW]],
    ["changes", ["changes", "--region", "eu-west-1", ...at, ...WINDOW]],
    ["mcp", ["mcp", ...at]],
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
      ...at,
      ...WINDOW,
    ]],
    ["validate", [
      "validate",
      "--bucket",
      "trail-logs",
      "--account-id",
      "111122223333",
      "--region",
      "eu-west-1",
      ...at,
      ...WINDOW,
    ]],
    ["sync", [
      "sync",
      "--bucket",
      "trail-logs",
      "--state-db",
      join(dir, "state.db"),
      "--events-dir",
      join(dir, "events"),
      ...at,
    ]],
    ["sync init", ["sync", "init", join(dir, "sync.jsonc"), "--region", "eu-west-1", ...at]],
  ];
}

Deno.test("a malformed --endpoint-url is a usage error naming the option and the value, for every command", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    for (const url of ["[", "localhost:9000", "ftp://127.0.0.1/", "http://"]) {
      for (const [name, args] of commands(dir, url)) {
        await t.step(`${name} ${url}`, async () => {
          const r = await runCli(args);
          assert.equal(r.code, 2, r.stderr);
          assert.match(r.stderr, /--endpoint-url takes an http:\/\/ or https:\/\/ URL/, r.stderr);
          assert.ok(r.stderr.includes(`"${url}"`), r.stderr);
          assert.doesNotMatch(r.stderr, /TypeError|Invalid \[/);
          assert.equal(r.stdout, "");
        });
      }
    }
    const ok = await runCli(commands(dir, "http://127.0.0.1:1")[5]![1]);
    assert.doesNotMatch(ok.stderr, /--endpoint-url takes/, "a well-formed URL is taken");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
