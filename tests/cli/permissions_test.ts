import assert from "node:assert/strict";
import { COMMAND_PERMISSIONS, keptPermissions } from "../../src/runtime/command_permissions.ts";
import { runCli } from "../helpers/fake_io.ts";

Deno.test("each command asks to keep only its permissions, before it reads input", async () => {
  const cases: [string[], string[]][] = [
    [["generate"], []],
    [["guess"], []],
    [["completions", "bash"], []],
    [["select", "--log-dir", "data/sample/logs"], ["read", "env"]],
    [["last-event-timestamp", "--log-dir", "data/sample/logs"], ["read", "env"]],
    [["changes", "--log-dir", "data/sample/incident"], ["read", "env"]],
    [["validate", "--log-dir", "data/sample/logs", "--public-keys", "nope.json"], ["read", "env"]],
    [["validate", "--log-dir", "data/sample/logs"], ["read", "env", "net", "sys"]],
  ];
  for (const [args, expected] of cases) {
    const kept: string[][] = [];
    await runCli(args, { stdin: '{"Records": []}', permissionsKept: kept, env: { HOME: "/nonexistent" } });
    assert.deepEqual(kept, [expected], args.join(" "));
  }
});

Deno.test("keptPermissions(): AWS commands keep read, env, net and sys; run only for credential_process", () => {
  assert.deepEqual(keptPermissions("select --use-cloudtrail-api", false), ["read", "env", "net", "sys"]);
  assert.deepEqual(keptPermissions("download", true), ["read", "env", "net", "sys", "write", "run"]);
  assert.deepEqual(keptPermissions("generate", true), []);
  for (const kinds of Object.values(COMMAND_PERMISSIONS)) assert.ok(!kinds.includes("ffi"));
});

Deno.test("process: generate run with every permission keeps none of them after start", async () => {
  const main = new URL("../../main.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", main, "--verbose", "generate"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode('{"Records": []}'));
  await writer.close();
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.match(stderr, /^permissions kept by generate: none\n/);
});

Deno.test("process: generate --workers 2 starts its workers, then drops every permission; same policy as in-process", async () => {
  const { synthRecords } = await import("../../scripts/synth_records.ts");
  const { runCli } = await import("../helpers/fake_io.ts");
  const records = [...synthRecords(2000, { seed: 9, calls: "wide" })];
  const input = new TextEncoder().encode(JSON.stringify({ Records: records }));
  const main = new URL("../../main.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", main, "--verbose", "generate", "--workers", "2"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(input);
  await writer.close();
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.match(stderr, /^permissions kept by generate: none\n/);
  const reference = await runCli(["generate"], { stdin: input });
  assert.equal(new TextDecoder().decode(out.stdout), reference.stdout);
});
