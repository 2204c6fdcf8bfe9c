/** Hostile records through the commands: one that cannot be processed costs only itself, counted with its reason. */
import assert from "node:assert/strict";
import { runCli } from "../helpers/fake_io.ts";
import { deepLogDir, HOSTILE_ROLE as ROLE } from "../helpers/hostile_logs.ts";

Deno.test("select: a record nested 100,000 deep is skipped and counted; every other record is printed", async () => {
  const dir = await deepLogDir();
  for (const workers of ["0", "2"]) {
    for (const role of [[], ["--filter-assumed-role-arn", ROLE]]) {
      const r = await runCli(["select", "--log-dir", dir, "--workers", workers, ...role]);
      assert.equal(r.code, 0, r.stderr);
      const times = (JSON.parse(r.stdout).Records as { eventTime: string }[]).map((x) => x.eventTime);
      assert.deepEqual(times, ["2024-03-01T09:50:00Z", "2024-03-01T09:55:00Z", "2024-03-01T10:05:00Z"]);
      assert.equal(
        r.stderr,
        "select: 3 log files read; 3 records matched, 1 records skipped (1 nested too deeply to process)\n",
      );
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("changes and generate: a record nested 100,000 deep costs only itself", async () => {
  const dir = await deepLogDir();
  try {
    for (const workers of ["0", "2"]) {
      const changes = await runCli([
        "changes",
        "--log-dir",
        dir,
        "--from",
        "2024-03-01T10:00Z",
        "--to",
        "2024-03-01T10:30Z",
        "--workers",
        workers,
        "--format",
        "json",
      ]);
      assert.equal(changes.code, 0, changes.stderr);
      assert.deepEqual(JSON.parse(changes.stdout).metadata.errors, []);
    }
    const selected = await runCli(["select", "--log-dir", dir, "--format", "jsonl"]);
    const deep = `{"eventTime":"2024-03-01T09:56:00Z","eventName":"RunInstances","eventSource":"ec2.amazonaws.com",` +
      `"requestParameters":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const generated = await runCli(["generate"], { stdin: selected.stdout + deep + "\n" });
    assert.equal(generated.code, 0, generated.stderr);
    assert.match(generated.stderr, /^generate: 4 records -> 1 statement/m);
    assert.deepEqual(JSON.parse(generated.stdout).Statement[0].Action, ["ec2:DescribeInstances", "ec2:RunInstances"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("generate and check: event sources and names that name Object members, or hold a line break, are names like any other", async () => {
  const names = ["constructor", "__proto__", "toString", "hasOwnProperty", "Get\nObject"];
  const calls = names.flatMap((name) => [
    ["s3.amazonaws.com", name, `s3:${name}`],
    ["apigateway.amazonaws.com", name, `apigateway:${name}`],
    [`${name}.amazonaws.com`, "Describe", `${name}:Describe`],
  ]);
  const stdin = JSON.stringify({ Records: calls.map(([eventSource, eventName]) => ({ eventSource, eventName })) });
  const expected = calls.map(([, , action]) => action!).sort();
  for (const resources of [[], ["--resources", "precise"]]) {
    const r = await runCli(["generate", "--check", ...resources], { stdin });
    assert.equal(r.code, 0, r.stderr);
    const statements = JSON.parse(r.stdout).Statement as { Action: string | string[] }[];
    assert.deepEqual(statements.flatMap((s) => [s.Action].flat()).sort(), expected);
    assert.doesNotMatch(r.stderr, /cannot be processed|skipped/);
  }
  const policy = await Deno.makeTempFile({ suffix: ".json" });
  try {
    const allowed = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: expected, Resource: "*" }] };
    await Deno.writeTextFile(policy, JSON.stringify(allowed));
    const r = await runCli(["check", "--policy", policy, "--format", "json"], { stdin });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /cannot be processed/);
    assert.deepEqual(JSON.parse(r.stdout).denied, []);
  } finally {
    await Deno.remove(policy);
  }
});
