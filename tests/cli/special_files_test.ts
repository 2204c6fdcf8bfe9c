/** A FIFO, a socket or a device in the log dir (or a link to one) is passed over and counted, never read or dropped. */
import assert from "node:assert/strict";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";

async function logDirWithSpecialFiles(): Promise<string> {
  const dir = await Deno.makeTempDir();
  const day = `${dir}/${dayDir("2024-03-01")}`;
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:55:00Z")]);
  // A FIFO named like a log file: opening it would wait for a writer forever.
  const fifo = await new Deno.Command("mkfifo", { args: [`${day}/${logName("20240301T1005Z", "fifo")}`] }).output();
  assert.ok(fifo.success);
  await Deno.symlink("/dev/null", `${day}/${logName("20240301T1006Z", "device")}`);
  return dir;
}

Deno.test("select and last-event-timestamp count a FIFO and a link to a device as not regular files; none is opened", async () => {
  const dir = await logDirWithSpecialFiles();
  const select = await runCli(["select", "--log-dir", dir, "--from", "2024-03-01", "--to", "2024-03-02"]);
  assert.equal(select.code, 0, select.stderr);
  assert.match(
    select.stderr,
    /select: 1 log files read, 2 other files passed over \(2 not a regular file\); 1 records/,
  );
  const newest = await runCli(["last-event-timestamp", "--log-dir", dir]);
  assert.equal(newest.code, 0, newest.stderr);
  assert.equal(newest.stdout, "2024-03-01 09:55:00+00:00\n");
  assert.match(newest.stderr, /2 other files passed over \(2 not a regular file\)/);
  const changes = await runCli([
    "changes",
    "--log-dir",
    dir,
    "--from",
    "2024-03-01T09:50Z",
    "--to",
    "2024-03-01T10:00Z",
    "--format",
    "json",
  ]);
  // changes passes over other files (digests, ...) without naming them; it must not wait on the FIFO either.
  assert.equal(changes.code, 0, changes.stderr);
  assert.equal(JSON.parse(changes.stdout).metadata.eventCount, 0);
});
