import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";

Deno.test("last-event-timestamp: the true newest event, not the newest file's, in trailscraper's format", async () => {
  const dir = await Deno.makeTempDir();
  // The newest file (10:05) holds an older event than a file delivered two minutes before it.
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1005Z", "newest")}`, [record("2024-03-01T09:50:00Z")]);
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1003Z", "other", "111122223333", "us-east-1")}`, [
    record("2024-03-01T10:02:13Z"),
    record("2024-03-01T09:40:00Z"),
  ]);
  writeLog(dir, `${dayDir("2024-02-28")}/${logName("20240228T1000Z", "old")}`, [record("2024-02-28T09:55:00Z")]);
  const r = await runCli(["last-event-timestamp", "--log-dir", dir, "--verbose"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "2024-03-01 10:02:13+00:00\n");
  // It stopped before the file from February: it cannot hold a newer event.
  assert.equal(
    r.stderr,
    "permissions kept by last-event-timestamp: read, env\n" +
      "last-event-timestamp: 2 of 3 files read, 1 not needed (too old to hold a newer event)\n",
  );
});

Deno.test("last-event-timestamp: milliseconds print like Python's datetime", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1005Z")}`, [record("2024-03-01T10:00:01.5Z")]);
  const r = await runCli(["last-event-timestamp", "--log-dir", dir]);
  assert.equal(r.stdout, "2024-03-01 10:00:01.500000+00:00\n");
});

Deno.test("last-event-timestamp: a corrupt newest file is skipped with a warning", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:55:00Z")]);
  const bad = `${dir}/${dayDir("2024-03-01")}/${logName("20240301T1100Z", "bad")}`;
  await Deno.writeTextFile(bad, "not gzip");
  const r = await runCli(["last-event-timestamp", "--log-dir", dir]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "2024-03-01 09:55:00+00:00\n");
  assert.equal(
    r.stderr,
    `warning: skipped "${bad}": not gzip data\n` +
      "last-event-timestamp: 2 of 2 files read (1 skipped: 1 not gzip data)\n",
  );
});

Deno.test("last-event-timestamp: a summary line on stderr counts files read and skipped by reason; stdout is the time", async () => {
  const dir = await Deno.makeTempDir();
  const day = `${dir}/${dayDir("2024-03-01")}`;
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:55:00Z")]);
  await Deno.writeTextFile(`${day}/${logName("20240301T1100Z", "a")}`, "not gzip");
  await Deno.writeTextFile(`${day}/${logName("20240301T1101Z", "b")}`, "");
  await Deno.writeTextFile(`${day}/${logName("20240301T1102Z", "c")}`, "also not gzip");
  await Deno.writeTextFile(`${day}/notes.txt`, "x");
  await Deno.writeTextFile(`${day}/${logName("20240301T1103Z", "d").replace(".json.gz", ".tmp")}`, "x");
  const r = await runCli(["last-event-timestamp", "--log-dir", dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "2024-03-01 09:55:00+00:00\n");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.filter((l) => l.startsWith("warning: skipped")).length, 3);
  assert.match(
    lines.at(-1)!,
    /^last-event-timestamp: 4 of 4 files read \(3 skipped: 2 not gzip data, 1 [^)]+\), 2 other files passed over \([^)]+\)$/,
  );
  const broken = await Deno.makeTempDir();
  await Deno.writeTextFile(`${broken}/${logName("20240301T1000Z")}`, "");
  const failed = await runCli(["last-event-timestamp", "--log-dir", broken]);
  assert.equal(failed.code, 1);
  assert.equal(failed.stdout, "");
  assert.match(
    failed.stderr,
    /\nlast-event-timestamp: 1 of 1 files read \(1 skipped: [^)]+\)\nerror: no event found/,
  );
});

Deno.test("last-event-timestamp: no log dir, no log files, only unreadable files: one line, exit 1", async () => {
  const missing = await runCli(["last-event-timestamp", "--log-dir", "/nonexistent/x"]);
  assert.deepEqual([missing.code, missing.stdout, missing.stderr], [
    1,
    "",
    'error: log dir "/nonexistent/x" does not exist\n',
  ]);
  const empty = await Deno.makeTempDir();
  await Deno.writeTextFile(`${empty}/notes.txt`, "x");
  const none = await runCli(["last-event-timestamp", "--log-dir", empty]);
  assert.deepEqual([none.code, none.stderr], [
    1,
    `error: no CloudTrail log files or sync archive files in "${empty}"\n`,
  ]);
  const broken = await Deno.makeTempDir();
  await Deno.writeTextFile(`${broken}/${logName("20240301T1000Z")}`, "");
  const unreadable = await runCli(["last-event-timestamp", "--log-dir", broken]);
  assert.equal(unreadable.code, 1);
  assert.match(unreadable.stderr, /error: no event found in the 1 files in ".*": none of them could be read\n$/);
});

Deno.test("last-event-timestamp and select say when --log-dir is a file, not a directory", async () => {
  const file = await Deno.makeTempFile();
  const last = await runCli(["last-event-timestamp", "--log-dir", file]);
  assert.deepEqual([last.code, last.stderr], [1, `error: log dir "${file}" is not a directory\n`]);
  const select = await runCli(["select", "--log-dir", file]);
  assert.deepEqual([select.code, select.stdout, select.stderr], [
    1,
    "",
    `error: log dir "${file}" is not a directory\n`,
  ]);
});

Deno.test("last-event-timestamp reads a sync archive: the newest date= partition first, unknown dates always", async () => {
  const dir = await Deno.makeTempDir();
  const part = (date: string, name: string, times: string[]) => {
    const folder = `${dir}/account=111122223333/region=us-east-1/date=${date}`;
    Deno.mkdirSync(folder, { recursive: true });
    const lines = times.map((t) => JSON.stringify(record(t))).join("\n") + "\n";
    const path = `${folder}/${name}`;
    if (name.endsWith(".gz")) Deno.writeFileSync(path, gzipSync(new TextEncoder().encode(lines)));
    else Deno.writeTextFileSync(path, lines);
  };
  part("2024-03-01", "part-0.jsonl", ["2024-03-01T23:59:58Z", "2024-03-01T01:00:00Z"]);
  part("2024-03-01", "part-1.jsonl.gz", ["2024-03-01T23:59:59.250Z"]);
  part("2024-02-27", "part-0.jsonl", ["2024-02-27T10:00:00Z"]);
  const r = await runCli(["last-event-timestamp", "--log-dir", dir, "--verbose"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "2024-03-01 23:59:59.250000+00:00\n");
  assert.match(
    r.stderr,
    /last-event-timestamp: 2 of 3 files read, 1 not needed \(too old to hold a newer event\)\n$/,
    "the February partition cannot hold a newer event",
  );
  // An event whose date is unknown to the partitioner may be of any time: its file is always read.
  part("unknown", "part-0.jsonl", ["2024-03-05T08:00:00Z"]);
  const unknown = await runCli(["last-event-timestamp", "--log-dir", dir]);
  assert.equal(unknown.stdout, "2024-03-05 08:00:00+00:00\n");
  // Log files and archive files in one tree: the newest of both.
  writeLog(dir, `${dayDir("2024-03-06")}/${logName("20240306T1005Z")}`, [record("2024-03-06T10:00:00Z")]);
  const both = await runCli(["last-event-timestamp", "--log-dir", dir]);
  assert.equal(both.stdout, "2024-03-06 10:00:00+00:00\n");
});

Deno.test("last-event-timestamp and select: an eventTime not on the calendar (Feb 30) is invalid, not rolled into March", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1005Z")}`, [
    record("2024-03-01T09:55:00Z"),
    record("2024-02-30T10:01:00Z"), // Date.UTC makes it 2024-03-01T10:01:00Z
  ]);
  const newest = await runCli(["last-event-timestamp", "--log-dir", dir]);
  assert.equal(newest.code, 0, newest.stderr);
  assert.equal(newest.stdout, "2024-03-01 09:55:00+00:00\n");
  const selected = await runCli(["select", "--log-dir", dir, "--from", "2024-03-01T10:00Z", "--format", "jsonl"]);
  assert.equal(selected.stdout, "");
  assert.match(selected.stderr, /0 records matched, 1 records skipped \(1 missing or invalid eventTime\)/);
});

Deno.test("last-event-timestamp: records it cannot use are counted by reason in the summary, not passed over", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1005Z")}`, [
    record("2024-03-01T09:55:00Z"),
    record("2024-03-01T10:03:00+02:00"), // not CloudTrail's UTC form: maybe the newest, so say so
    record("2024-02-30T10:01:00Z"),
    { ...record("2024-03-01T10:04:00Z"), eventName: undefined },
    "not a record",
  ]);
  const r = await runCli(["last-event-timestamp", "--log-dir", dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "2024-03-01 09:55:00+00:00\n");
  assert.equal(
    r.stderr,
    "last-event-timestamp: 1 of 1 files read; 4 records skipped " +
      "(2 missing or invalid eventTime, 1 missing eventName, 1 not an object)\n",
  );
});
