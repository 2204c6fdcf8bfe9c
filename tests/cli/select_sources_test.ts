import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";

const ROLE = "arn:aws:iam::111122223333:role/app";

function ids(stdout: string): string[] {
  return (JSON.parse(stdout).Records as { eventID: string }[]).map((r) => r.eventID);
}

Deno.test("select: a symlink loop in the log dir is walked once and reported, no record twice", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:50:00Z", ROLE)]);
  await Deno.symlink("..", join(dir, "AWSLogs", "back"));
  await Deno.symlink(join(dir, "AWSLogs"), join(dir, "again"));
  for (const workers of ["0", "2"]) {
    const r = await runCli(["select", "--log-dir", dir, "--workers", workers]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(ids(r.stdout), [`DescribeInstances-2024-03-01T09:50:00Z-${ROLE}`]);
    assert.match(r.stderr, new RegExp(`warning: skipped "${dir}/AWSLogs/back": it leads to "${dir}"`));
    assert.match(r.stderr, new RegExp(`warning: skipped "${dir}/again": it leads to "${dir}/AWSLogs"`));
    assert.match(r.stderr, /select: 1 log files read; 1 records matched\n$/);
  }
  const last = await runCli(["last-event-timestamp", "--log-dir", dir]);
  assert.equal(last.stdout, "2024-03-01 09:50:00+00:00\n");
});

Deno.test("select: reads the sync archive (Hive folders of .jsonl and .jsonl.gz), pruned by date= partitions", async () => {
  const dir = await Deno.makeTempDir();
  const part = (date: string) => join(dir, "account=111122223333", "region=eu-west-1", `date=${date}`);
  const line = (time: string, role?: string) => JSON.stringify({ ...record(time, role), eventID: time });
  await Deno.mkdir(part("2024-03-01"), { recursive: true });
  await Deno.mkdir(part("2024-03-02"), { recursive: true });
  await Deno.mkdir(part("2024-02-01"), { recursive: true });
  await Deno.writeTextFile(
    join(part("2024-03-01"), "part-0.jsonl"),
    [line("2024-03-01T09:00:00Z", ROLE), "{not json", "", line("2024-03-01T10:00:00Z")].join("\n") + "\n",
  );
  await Deno.writeFile(
    join(part("2024-03-02"), "part-0.jsonl.gz"),
    gzipSync(new TextEncoder().encode(line("2024-03-02T08:00:00Z", ROLE) + "\n")),
  );
  await Deno.writeTextFile(join(part("2024-02-01"), "part-0.jsonl"), "{broken but never read\n");
  const r = await runCli(["select", "--log-dir", dir, "--from", "2024-03-01", "--to", "2024-03-03"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(ids(r.stdout), ["2024-03-01T09:00:00Z", "2024-03-01T10:00:00Z", "2024-03-02T08:00:00Z"]);
  assert.match(r.stderr, /select: 2 log files read; 3 records matched, 1 records skipped \(1 invalid JSON line\)\n$/);
  const role = await runCli(["select", "--log-dir", dir, "--filter-assumed-role-arn", ROLE, "--format", "jsonl"]);
  assert.deepEqual(role.stdout.trim().split("\n").map((l) => JSON.parse(l).eventID), [
    "2024-03-01T09:00:00Z",
    "2024-03-02T08:00:00Z",
  ]);
  const generated = await runCli(["generate"], { stdin: role.stdout });
  assert.equal(generated.code, 0, generated.stderr);
  assert.deepEqual(JSON.parse(generated.stdout).Statement[0].Action, ["ec2:DescribeInstances"]);
});

Deno.test("select: a log file someone gunzipped (.json) is read like the .json.gz it was", async () => {
  const dir = await Deno.makeTempDir();
  const gz = writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:50:00Z")]);
  // Gunzipped and the .json.gz removed (a .json beside its .json.gz is its copy: only the .gz is read).
  const plain = gz.replace("20240301T1000Z", "20240301T1005Z").replace(/\.gz$/, "");
  await Deno.writeTextFile(plain, JSON.stringify({ Records: [record("2024-03-01T09:51:00Z")] }));
  const r = await runCli(["select", "--log-dir", dir, "--format", "jsonl"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split("\n").length, 2);
  assert.match(r.stderr, /select: 2 log files read; 2 records matched\n$/);
});
