/**
 * Every command that reads a source, walked with each way the source can fail (a file
 * that cannot be read, a refused connection, throttling, access denied): the failure
 * must show in the summary line, in the JSON output where the command has one, and in
 * the exit code. A skipped file is counted and the run succeeds (exit 0); a failed AWS
 * call fails the run (exit 1), or with `changes --best-effort` is an entry of
 * `metadata.errors` (exit 0).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ALERT, incidentRecords } from "../../scripts/incident_records.ts";
import { refusedEndpoint, startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";
import { s3Error, type S3Peer, startS3Peer } from "../helpers/s3_peer.ts";
import { syncArgs } from "../helpers/sync_bucket.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";

type Failure = "unreadable file" | "refused connection" | "throttling" | "access denied";

/** What a run must show: the exit code, the summary (or error) line, and the JSON's failure entries. */
interface Expected {
  code: number;
  /** The summary line (the line starting with the command's name) or, when the run stops, the error line. */
  summary: RegExp;
  /** Checks the JSON on stdout, for commands that print one. */
  json?: (report: { metadata: { errors: string[]; skipped?: Record<string, number> } }) => void;
}

const DAY = "2024-03-01";

/** A log dir with one good log file, one that is not gzip data and one that cannot be opened (a dangling link). */
async function brokenLogDir(): Promise<string> {
  const dir = await Deno.makeTempDir();
  const good = incidentRecords().filter((r) => r.awsRegion === "eu-west-1");
  writeLog(dir, `${dayDir(DAY)}/${logName("20240301T1000Z", "good")}`, good);
  const corrupt = join(dir, dayDir(DAY), logName("20240301T1005Z", "corrupt"));
  await Deno.writeTextFile(corrupt, "this is not gzip data");
  await Deno.symlink(join(dir, "gone.json.gz"), join(dir, dayDir(DAY), logName("20240301T1010Z", "dangling")));
  return dir;
}

async function withCloudTrail(failure: Failure, fn: (endpoint: string) => Promise<void>): Promise<void> {
  if (failure === "refused connection") return await fn(refusedEndpoint());
  const clock = { now: () => 0 }; // the peer's bucket never refills: with rate 0 every request is throttled
  const peer = startCloudTrailPeer({
    events: { "eu-west-1": [record(`${DAY}T10:00:00Z`)] },
    clock,
    ...(failure === "throttling" ? { ratePerSecond: 0 } : { deny: true }),
  });
  try {
    await fn(peer.endpoint);
  } finally {
    await peer.stop();
  }
}

async function withS3(failure: Failure, fn: (endpoint: string) => Promise<void>): Promise<void> {
  if (failure === "refused connection") return await fn(refusedEndpoint());
  const peer: S3Peer = await startS3Peer({
    fault: () => (failure === "throttling"
      ? s3Error(503, "SlowDown", "Please reduce your request rate")
      : s3Error(403, "AccessDenied", "Access Denied")),
  });
  try {
    await fn(peer.endpoint);
  } finally {
    await peer.stop();
  }
}

const API_FAILURES: Failure[] = ["refused connection", "throttling", "access denied"];
const WINDOW = ["--from", `${DAY}T10:00:00Z`, "--to", `${DAY}T10:15:00Z`];
const why: Record<Failure, RegExp> = {
  "unreadable file": /not gzip data/,
  "refused connection": /cannot reach .*connection refused/,
  "throttling": /throttl|SlowDown|reduce your request rate/i,
  "access denied": /access denied/,
};

async function check(name: string, args: string[], expected: Expected, stdin = ""): Promise<void> {
  const r = await runCli(args, { clock: new VirtualClock(Date.parse(ALERT.to) + 60_000), stdin });
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(r.code, expected.code, `${name}: exit ${r.code}\n${r.stderr}`);
  assert.ok(
    lines.some((line) => expected.summary.test(line)),
    `${name}: no line matches ${expected.summary}\n${r.stderr}`,
  );
  if (expected.json) expected.json(JSON.parse(r.stdout));
}

Deno.test("a failing source shows in the summary line, the JSON output and the exit code of every command", async (t) => {
  const logs = await brokenLogDir();
  await t.step(
    "select --log-dir: unreadable files are counted in the summary, exit 0",
    () =>
      check("select", ["select", "--log-dir", logs], {
        code: 0,
        summary:
          /^select: 3 log files read \(2 skipped: 1 cannot read: NotFound, 1 not gzip data\); \d+ records matched$/,
      }),
  );
  await t.step(
    "changes --log-dir: unreadable files are counted in the summary and metadata.skipped, exit 0",
    () =>
      check("changes", ["changes", "--log-dir", logs, "--format", "json", ...WINDOW], {
        code: 0,
        summary: /^changes: \d+ found, \d+ shown; 2 skipped \(1 cannot read: NotFound, 1 not gzip data\)$/,
        json: (report) => {
          assert.equal(report.metadata.skipped?.["not gzip data"], 1);
          assert.equal(Object.values(report.metadata.skipped ?? {}).reduce((a, b) => a + b, 0), 2);
        },
      }),
  );

  await t.step(
    "last-event-timestamp --log-dir: each unreadable file is a warning (no summary line), exit 0",
    async () => {
      const r = await runCli(["last-event-timestamp", "--log-dir", logs]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^2024-03-01 \d\d:\d\d:\d\d\+00:00\n$/);
      assert.match(r.stderr, /warning: skipped ".*_dangling\.json\.gz": cannot read: NotFound\n/);
      assert.match(r.stderr, /warning: skipped ".*_corrupt\.json\.gz": not gzip data\n/);
    },
  );
  await t.step(
    "generate: unreadable records are counted in the summary, exit 0",
    () =>
      check("generate", ["generate"], {
        code: 0,
        summary: /^generate: .*; 2 skipped \(1 missing eventSource, 1 not an object\)$/,
      }, '{"Records": [{"eventName": 1}, 5]}'),
  );
  await t.step(
    "check: a policy file that cannot be read is one error line naming it, exit 1",
    () =>
      check("check", ["check", "--policy", join(logs, "no-such-policy.json")], {
        code: 1,
        summary: /^error: cannot read policy ".*no-such-policy\.json": /,
      }, '{"Records": []}'),
  );

  for (const failure of API_FAILURES) {
    await t.step(
      `select --use-cloudtrail-api: ${failure}`,
      () =>
        withCloudTrail(failure, (endpoint) =>
          check("select api", [
            "select",
            "--use-cloudtrail-api",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            endpoint,
            ...WINDOW,
          ], {
            code: 1,
            summary: failure === "refused connection"
              ? /^error: cannot reach .*connection refused/
              : /^select: 1 region, 0 pages, 0 events(, throttled \d+ times)?, 1 region failed; 0 records matched$/,
          })),
    );
    await t.step(`changes: ${failure}`, () =>
      withCloudTrail(failure, async (endpoint) => {
        const args = ["changes", "--region", "eu-west-1", "--endpoint-url", endpoint, "--format", "json", ...WINDOW];
        await check("changes", args, {
          code: 1,
          summary: failure === "refused connection"
            ? /^error: cannot reach .*connection refused/
            : /^changes: 0 found, 0 shown; 1 failed$/,
          ...(failure === "refused connection" ? {} : {
            json: (report) => assert.match(report.metadata.errors[0] ?? "", why[failure]),
          }),
        });
        await check("changes --best-effort", [...args, "--best-effort"], {
          code: 0,
          summary: /^changes: 0 found, 0 shown; 1 failed$/,
          json: (report) => assert.match(report.metadata.errors[0] ?? "", why[failure]),
        });
      }));
    await t.step(`download: ${failure}`, () =>
      withS3(failure, async (endpoint) => {
        const dir = await Deno.makeTempDir();
        const args = [
          "download",
          "--bucket",
          "b",
          "--account-id",
          "111122223333",
          "--region",
          "eu-west-1",
          "--log-dir",
          dir,
          "--endpoint-url",
          endpoint,
          "--from",
          DAY,
          "--to",
          `${DAY}T23:00:00Z`,
        ];
        await check("download", args, {
          code: 1,
          summary: failure === "refused connection"
            ? /^error: cannot reach .*connection refused/
            : /^download: 0 log files listed \(0 LIST calls\), .* 0 failed, 1 of 1 folders could not be listed in /,
        });
      }));
    await t.step(`sync: ${failure}`, () =>
      withS3(failure, async (endpoint) => {
        const dir = await Deno.makeTempDir();
        // The error line names the failure; sync's summary line before it still says "0 failed" (not yet counted there).
        await check("sync", syncArgs(["--bucket", "b"], dir, endpoint), { code: 1, summary: why[failure] });
      }));
  }
});
