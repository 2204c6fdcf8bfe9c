/**
 * Large hostile log files that fit the log file limit: a plain `.json` file of 12 MB whose newest record nests
 * 100,000 deep, a `.json` file that is one 12 MB line, and a sync archive part whose first line is 12 MB and whose
 * second nests 100,000 deep. `select` and `last-event-timestamp` answer without a stack overflow or a hang: the deep
 * record is skipped and counted by `select`, and its time (it has a valid one) is an answer of `last-event-timestamp`.
 */
import assert from "node:assert/strict";
import { runCli } from "../helpers/fake_io.ts";
import { deepRecordText, HOSTILE_ROLE as ROLE } from "../helpers/hostile_logs.ts";
import { dayDir, logName, record } from "../helpers/log_tree.ts";

const PAD = 12_000_000;
const SKIPPED = "1 records skipped (1 nested too deeply to process)";

/** The JSON text of a record at `time` with a `pad` field of {@link PAD} characters. */
function bigRecord(time: string): string {
  return JSON.stringify({ ...record(time, ROLE), pad: "p".repeat(PAD) });
}

/** The JSON text of a record at `time` nested 100,000 deep, padded to more than 12 MB. */
function bigDeepRecord(time: string): string {
  return deepRecordText(time).slice(0, -1) + `,"pad":"${"d".repeat(PAD)}"}`;
}

Deno.test("select and last-event-timestamp: 12 MB files, one line or a record nested 100,000 deep", async () => {
  const dir = await Deno.makeTempDir();
  const day = `${dir}/${dayDir("2024-03-01")}`;
  const plain = (stamp: string, id: string) => `${day}/${logName(stamp, id).replace(/\.gz$/, "")}`;
  try {
    Deno.mkdirSync(day, { recursive: true });
    Deno.writeTextFileSync(
      plain("20240301T0955Z", "good"),
      JSON.stringify({ Records: [record("2024-03-01T09:50:00Z", ROLE)] }),
    );
    Deno.writeTextFileSync(plain("20240301T1005Z", "line"), `{"Records":[${bigRecord("2024-03-01T10:00:00Z")}]}`);
    Deno.writeTextFileSync(plain("20240301T1010Z", "deep"), `{"Records":[${bigDeepRecord("2024-03-01T10:05:00Z")}]}`);
    for (const workers of ["0", "2"]) {
      const r = await runCli(["select", "--log-dir", dir, "--workers", workers, "--format", "jsonl"]);
      assert.equal(r.code, 0, r.stderr);
      const records = r.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
      assert.deepEqual(records.map((x) => x.eventTime), ["2024-03-01T09:50:00Z", "2024-03-01T10:00:00Z"]);
      assert.equal(records[1].pad.length, PAD, "the 12 MB record is printed whole");
      assert.equal(r.stderr, `select: 3 log files read; 2 records matched, ${SKIPPED}\n`);
    }
    const newest = await runCli(["last-event-timestamp", "--log-dir", dir]);
    assert.deepEqual([newest.code, newest.stdout], [0, "2024-03-01 10:05:00+00:00\n"], newest.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("select and last-event-timestamp: an archive part with a 12 MB line and a line nested 100,000 deep", async () => {
  const dir = await Deno.makeTempDir();
  const partition = `${dir}/account=111122223333/region=eu-west-1/date=2024-03-01`;
  try {
    Deno.mkdirSync(partition, { recursive: true });
    const lines = [
      bigRecord("2024-03-01T10:00:00Z"),
      bigDeepRecord("2024-03-01T11:00:00Z"),
      JSON.stringify(record("2024-03-01T09:50:00Z", ROLE)),
    ];
    Deno.writeTextFileSync(`${partition}/part-0.jsonl`, lines.join("\n") + "\n");
    for (const workers of ["0", "2"]) {
      const r = await runCli(["select", "--log-dir", dir, "--workers", workers, "--format", "jsonl"]);
      assert.equal(r.code, 0, r.stderr);
      const times = r.stdout.trimEnd().split("\n").map((line) => JSON.parse(line).eventTime);
      assert.deepEqual(times, ["2024-03-01T10:00:00Z", "2024-03-01T09:50:00Z"]);
      assert.equal(r.stderr, `select: 1 log files read; 2 records matched, ${SKIPPED}\n`);
    }
    const newest = await runCli(["last-event-timestamp", "--log-dir", dir]);
    assert.deepEqual([newest.code, newest.stdout], [0, "2024-03-01 11:00:00+00:00\n"], newest.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
