/**
 * Gzip bombs: a small log file that inflates far beyond any real one is skipped and counted with its reason by every
 * command that reads local log files, without inflating it whole. The limit is lowered to 1 MiB with
 * TRAILSCRAPER_MAX_INFLATED_MIB so the bombs stay small and the tests fast.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { makeSigner, publicKeyList, SignedTrail, type TreeObject, writeTree } from "../../scripts/signed_tree.ts";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";
import { LIMIT_VARIABLE, paddedText, withLowLimit } from "../helpers/log_limit.ts";
import { readInput } from "../../src/sources/record_input.ts";

const ROLE = "arn:aws:iam::111122223333:role/app";
const REASON = "over the log file limit of 1 MiB uncompressed";

/** A Records document holding `records`, padded with white space to `padding` bytes: valid JSON, tiny gzipped. */
function paddedLog(records: unknown[], padding: number): Uint8Array {
  return gzipSync(paddedText(records, padding), { level: 9 });
}

/** A log dir with a good file (09:50) and, delivered after it, a 64 MiB bomb holding one record (10:00). */
async function bombDir(): Promise<{ dir: string; bomb: string }> {
  const dir = await Deno.makeTempDir();
  const day = dayDir("2024-03-01");
  writeLog(dir, `${day}/${logName("20240301T0955Z", "good")}`, [record("2024-03-01T09:50:00Z", ROLE, "RunInstances")]);
  const bomb = `${dir}/${day}/${logName("20240301T1005Z", "bomb")}`;
  Deno.writeFileSync(bomb, paddedLog([record("2024-03-01T10:00:00Z", ROLE, "TerminateInstances")], 64 << 20));
  return { dir, bomb };
}

Deno.test("select: a gzip bomb is skipped and counted with its reason, the other files are read", async () => {
  const { dir, bomb } = await bombDir();
  try {
    await withLowLimit(async () => {
      for (const workers of ["0", "2"]) {
        const r = await runCli(["select", "--log-dir", dir, "--workers", workers]);
        assert.equal(r.code, 0, r.stderr);
        const times = (JSON.parse(r.stdout).Records as { eventTime: string }[]).map((x) => x.eventTime);
        assert.deepEqual(times, ["2024-03-01T09:50:00Z"]);
        assert.equal(
          r.stderr,
          `warning: skipped "${bomb}": ${REASON}\n` +
            `select: 2 log files read (1 skipped: 1 ${REASON}); 1 records matched\n`,
        );
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("last-event-timestamp and changes --log-dir: a gzip bomb is skipped with its reason", async () => {
  const { dir, bomb } = await bombDir();
  try {
    await withLowLimit(async () => {
      const newest = await runCli(["last-event-timestamp", "--log-dir", dir]);
      assert.equal(newest.code, 0, newest.stderr);
      assert.equal(newest.stdout, "2024-03-01 09:50:00+00:00\n");
      assert.equal(
        newest.stderr,
        `warning: skipped "${bomb}": ${REASON}\n` +
          `last-event-timestamp: 2 of 2 files read (1 skipped: 1 ${REASON})\n`,
      );
      const window = ["--from", "2024-03-01T09:00Z", "--to", "2024-03-01T11:00Z", "--format", "json"];
      for (const workers of ["0", "2"]) {
        const changes = await runCli(["changes", "--log-dir", dir, ...window, "--workers", workers]);
        assert.equal(changes.code, 0, changes.stderr);
        const report = JSON.parse(changes.stdout);
        assert.deepEqual(report.events.map((e: { eventName: string }) => e.eventName), ["RunInstances"]);
        assert.deepEqual(report.metadata.skipped, { [REASON]: 1 });
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("validate --log-dir: a named log file that inflates past the limit is not hashed whole", async () => {
  const signer = makeSigner();
  const objects = new Map<string, TreeObject>();
  const trail = new SignedTrail(objects, { bucket: "b", signer });
  const big = { eventID: "big", eventTime: "2024-03-01T00:05:00Z", pad: "x".repeat(2 << 20) };
  const logs = [trail.log("2024-03-01T00:05:00Z", "small"), trail.log("2024-03-01T00:35:00Z", "big", [big])];
  trail.digest("2024-03-01T01:17:00Z", logs);
  const local = await Deno.makeTempDir();
  const keys = await Deno.makeTempFile({ suffix: ".json" });
  try {
    writeTree(objects, local, "b");
    await Deno.writeTextFile(keys, JSON.stringify(publicKeyList([signer])));
    const args = ["validate", "--log-dir", local, "--public-keys", keys, "--account-id", "111122223333"];
    const window = ["--region", "eu-west-1", "--from", "2024-03-01T00:00:00Z", "--to", "2024-03-01T00:59:59Z"];
    await withLowLimit(async () => {
      const r = await runCli([...args, ...window, "--format", "json"]);
      assert.equal(r.code, 1, r.stderr);
      const files = (JSON.parse(r.stdout) as { files: { key: string; state: string; reason?: string }[] }).files;
      const state = (key: string) => files.find((f) => f.key.endsWith(key));
      assert.equal(state(logs[0]!)?.state, "valid");
      assert.deepEqual([state(logs[1]!)?.state, state(logs[1]!)?.reason], ["modified", REASON]);
    });
    // Without the lowered limit the same file is valid: the limit, not the file, made the difference.
    const r = await runCli([...args, ...window]);
    assert.equal(r.code, 0, r.stderr);
  } finally {
    await Deno.remove(local, { recursive: true });
    await Deno.remove(keys);
  }
});

Deno.test("readInput(): a 512 MiB bomb of 500 kB stops inflating at the limit (fast, no 4 GiB buffer)", async () => {
  const member = gzipSync(new Uint8Array(16 << 20), { level: 9 });
  const bomb = new Uint8Array(member.length * 32);
  for (let i = 0; i < 32; i++) bomb.set(member, i * member.length);
  await withLowLimit(() => {
    const started = performance.now();
    const read = readInput({ kind: "bytes", name: "bomb.json.gz", bytes: bomb });
    assert.deepEqual(read, { ok: false, issue: REASON });
    // Inflating 512 MiB takes most of a second; stopping at 1 MiB takes milliseconds (generous for a loaded machine).
    assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
    return Promise.resolve();
  });
});

Deno.test("a TRAILSCRAPER_MAX_INFLATED_MIB that is not a whole number of MiB is a usage error naming it", async () => {
  for (const value of ["abc", "0", "-1", "1.5", "1e3"]) {
    const r = await runCli(["select", "--log-dir", "data/sample/logs"], { env: { [LIMIT_VARIABLE]: value } });
    assert.equal(r.code, 2, value);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `error: ${LIMIT_VARIABLE} takes a whole number of MiB (1 to 999999), got "${value}"\n` +
        "Run 'trailscraper select --help' for usage.\n",
    );
  }
  for (const value of [" 512 ", ""]) {
    const good = await runCli(["select", "--log-dir", "data/sample/logs"], { env: { [LIMIT_VARIABLE]: value } });
    assert.equal(good.code, 0, good.stderr);
  }
});
