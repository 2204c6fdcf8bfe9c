import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { generateCorpus } from "../../scripts/gen_corpus.ts";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";

const ROLE = "arn:aws:iam::111122223333:role/app";
const OTHER = "arn:aws:iam::111122223333:role/other";
const PATH_ROLE = "arn:aws:iam::111122223333:role/service-role/path/deployer";

async function select(logDir: string, ...args: string[]) {
  return await runCli(["select", "--log-dir", logDir, ...args]);
}

function times(stdout: string): string[] {
  return (JSON.parse(stdout).Records as { eventTime: string }[]).map((r) => r.eventTime);
}

Deno.test("select: output is byte-for-byte what trailscraper's json.dumps prints", async () => {
  const r = await select("tests/fixtures/select/logs");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, await Deno.readTextFile("tests/fixtures/select/format.expected.json"));
  assert.equal(r.stderr, "select: 1 log files read; 2 records matched\n");
});

Deno.test("select: time bounds are inclusive, with the delivery window from..to+1h", async () => {
  const dir = await Deno.makeTempDir();
  // Delivered 10:59, events 10:00 and 10:30: inside for --to 10:00 because 10:59 <= 11:00.
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1059Z", "in")}`, [
    record("2024-03-01T10:00:00Z"),
    record("2024-03-01T10:30:00Z"),
  ]);
  // Delivered 11:01: after to + 1 hour, never read even though its event is in range.
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1101Z", "late")}`, [record("2024-03-01T09:59:00Z")]);
  // Delivered 08:59: before from, not read.
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T0859Z", "early")}`, [record("2024-03-01T09:00:00Z")]);
  const r = await select(dir, "--from", "2024-03-01T09:00:00Z", "--to", "2024-03-01T10:00:00Z");
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(times(r.stdout), ["2024-03-01T10:00:00Z"]);
  assert.equal(r.stderr, "select: 1 log files read, 2 outside the time range; 1 records matched\n");
  const from = await select(dir, "--from", "2024-03-01T10:00:00Z", "--to", "2024-03-01T10:30:00Z");
  assert.deepEqual(times(from.stdout), ["2024-03-01T10:00:00Z", "2024-03-01T10:30:00Z"]);
});

Deno.test("select: role filters match sessionIssuer ARNs exactly, any of several", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [
    record("2024-03-01T09:50:00Z", ROLE),
    record("2024-03-01T09:51:00Z", OTHER),
    record("2024-03-01T09:52:00Z", PATH_ROLE),
    record("2024-03-01T09:53:00Z"),
  ]);
  const all = await select(dir);
  assert.equal(times(all.stdout).length, 4);
  const one = await select(dir, "--filter-assumed-role-arn", ROLE);
  assert.deepEqual(times(one.stdout), ["2024-03-01T09:50:00Z"]);
  const two = await select(dir, "--filter-assumed-role-arn", ROLE, "--filter-assumed-role-arn", PATH_ROLE);
  assert.deepEqual(times(two.stdout), ["2024-03-01T09:50:00Z", "2024-03-01T09:52:00Z"]);
  // The sts assumed-role ARN of a session stands for its role (trailscraper matched nothing, silently).
  const sts = await select(dir, "--filter-assumed-role-arn", "arn:aws:sts::111122223333:assumed-role/app/s");
  assert.deepEqual(times(sts.stdout), times(one.stdout));
  assert.match(sts.stderr, /^note: "arn:aws:sts::111122223333:assumed-role\/app\/s" is a session of role app: /);
});

Deno.test("select: reads organization subtrees and orders output by path, records in file order", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(
    dir,
    `${dayDir("2024-03-01", "222233334444", "us-east-1", "o-abc")}/${
      logName("20240301T1000Z", "b", "222233334444", "us-east-1")
    }`,
    [
      record("2024-03-01T09:58:00Z"),
      record("2024-03-01T09:57:00Z"),
    ],
  );
  writeLog(
    dir,
    `${dayDir("2024-03-01", "111122223333", "us-east-1", "o-abc")}/${
      logName("20240301T1005Z", "a", "111122223333", "us-east-1")
    }`,
    [
      record("2024-03-01T09:59:00Z"),
    ],
  );
  for (const workers of ["0", "1", "2"]) {
    const r = await select(dir, "--workers", workers);
    assert.deepEqual(
      times(r.stdout),
      ["2024-03-01T09:59:00Z", "2024-03-01T09:58:00Z", "2024-03-01T09:57:00Z"],
      workers,
    );
  }
});

Deno.test("select: corrupt files are skipped with a warning each and counted; other files are passed over", async () => {
  const dir = await Deno.makeTempDir();
  const files = generateCorpus(dir, {
    days: 1,
    filesPerDay: 1,
    recordsPerFile: 3,
    accounts: ["111122223333"],
    regions: ["eu-west-1"],
  });
  // From 23:00 the day before: the late delivery (stamped 00:17) holds events from 23:25.
  const r = await select(dir, "--from", "2024-02-29T23:00Z", "--to", "2024-03-02");
  assert.equal(r.code, 0, r.stderr);
  for (const file of files.filter((f) => f.kind === "corrupt")) {
    assert.ok(r.stderr.includes(`warning: skipped "${file.path}": ${file.issue}\n`), `${file.issue} not reported`);
  }
  assert.match(
    r.stderr,
    /select: 8 log files read \(5 skipped: 1 empty file, 1 invalid JSON, 1 no "Records" array, 1 not gzip data, 1 truncated gzip data\), 3 other files passed over \(1 digest, 1 other, 1 temporary\); 11 records matched\n$/,
  );
  // The log, its overlapping copy in a second trail and the late delivery.
  assert.equal(JSON.parse(r.stdout).Records.length, 3 + 3 + 5);
});

Deno.test("select: records without eventTime or eventName are skipped and counted; millisecond times work", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [
    record("2024-03-01T09:50:00.250Z"),
    { ...record("2024-03-01T09:51:00Z"), eventTime: undefined },
    { ...record("2024-03-01T09:52:00Z"), eventName: undefined },
    { ...record("2024-03-01T09:53:00Z"), userIdentity: null, resources: null },
    "not a record",
  ]);
  const r = await select(dir);
  assert.deepEqual(times(r.stdout), ["2024-03-01T09:50:00.250Z", "2024-03-01T09:53:00Z"]);
  assert.match(r.stderr, /3 records skipped \(1 missing eventName, 1 missing or invalid eventTime, 1 not an object\)/);
});

Deno.test("select: --format jsonl prints one record per line, and generate reads it", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [
    record("2024-03-01T09:50:00Z", ROLE, "DescribeVpcs"),
    record("2024-03-01T09:51:00Z", ROLE, "DescribeSubnets"),
  ]);
  const r = await select(dir, "--format", "jsonl");
  const lines = r.stdout.split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[2], "");
  assert.equal(JSON.parse(lines[0]!).eventName, "DescribeVpcs");
  const policy = await runCli(["generate"], { stdin: r.stdout });
  assert.deepEqual(JSON.parse(policy.stdout).Statement[0].Action, ["ec2:DescribeSubnets", "ec2:DescribeVpcs"]);
  const empty = await select(dir, "--format", "jsonl", "--filter-assumed-role-arn", OTHER);
  assert.equal(empty.stdout, "");
});

Deno.test("select: a missing log dir is an error (exit 1, no output), not an empty result (trailscraper: exit 0)", async () => {
  const r = await select("/nonexistent/trailscraper-logs");
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, 'error: log dir "/nonexistent/trailscraper-logs" does not exist\n');
});

Deno.test("select: ~ in --log-dir is the home directory", async () => {
  const home = await Deno.makeTempDir();
  writeLog(home, `.trailscraper/logs/${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [
    record("2024-03-01T09:50:00Z"),
  ]);
  const r = await runCli(["select"], { env: { HOME: home } });
  assert.deepEqual(times(r.stdout), ["2024-03-01T09:50:00Z"]);
});

Deno.test("select: an unparseable --from or --workers is a usage error", async () => {
  const r = await runCli(["select", "--from", "not a date"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^error: invalid value for --from: "not a date"/);
  const w = await runCli(["select", "--workers", "two"]);
  assert.equal(w.code, 2);
  assert.match(w.stderr, /--workers takes a whole number, got "two"/);
});

Deno.test("select: with a role filter, files without the role's ARN are not parsed, but corruption is still reported", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z", "mine")}`, [record("2024-03-01T09:50:00Z", ROLE)]);
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1001Z", "other")}`, [
    record("2024-03-01T09:51:00Z", OTHER),
  ]);
  // Truncated JSON without the ARN: must still be reported.
  const truncated = `${dir}/${dayDir("2024-03-01")}/${logName("20240301T1002Z", "cut")}`;
  await Deno.writeFile(truncated, gzipSync(new TextEncoder().encode('{"Records": [{"eventName": "x"')));
  // A file that escapes "/" as "\/" spells the ARN differently: still found.
  const escaped = `${dir}/${dayDir("2024-03-01")}/${logName("20240301T1003Z", "esc")}`;
  const text = JSON.stringify({ Records: [record("2024-03-01T09:53:00Z", ROLE)] }).replaceAll("/", "\\/");
  await Deno.writeFile(escaped, gzipSync(new TextEncoder().encode(text)));
  const r = await select(dir, "--filter-assumed-role-arn", ROLE);
  assert.deepEqual(times(r.stdout), ["2024-03-01T09:50:00Z", "2024-03-01T09:53:00Z"]);
  assert.ok(r.stderr.includes(`warning: skipped "${truncated}": invalid JSON\n`), r.stderr);
  assert.match(r.stderr, /select: 4 log files read \(1 skipped: 1 invalid JSON\); 2 records matched\n$/);
});

Deno.test("select --verbose names each file that is not a log file", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:50:00Z")]);
  const digest = `${dir}/${
    dayDir("2024-03-01")
  }/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20240301T1000Z.json.gz`;
  await Deno.writeTextFile(digest, "x");
  const quiet = await select(dir);
  assert.doesNotMatch(quiet.stderr, /skipped ".*Digest/);
  const verbose = await runCli(["--verbose", "select", "--log-dir", dir]);
  assert.ok(verbose.stderr.includes(`skipped "${digest}": not a CloudTrail log file (digest)\n`), verbose.stderr);
  assert.match(verbose.stderr, /1 other files passed over \(1 digest\)/);
});

Deno.test("select: progress with MB/s on a terminal only", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:50:00Z")]);
  const tty = await runCli(["select", "--log-dir", dir], { stderrIsTerminal: true });
  assert.match(
    tty.stderr,
    // deno-lint-ignore no-control-regex
    /^\r\x1b\[2Kselect: 1 files read \(\d+ MB\/s of JSON\), 1 records matched\r\x1b\[2Kselect: 1 log files read/,
  );
  assert.doesNotMatch((await select(dir)).stderr, /\r/);
});

Deno.test("select: a log file beside its gunzipped twin (gunzip -k) is read once, from the .json.gz; --verbose says so", async () => {
  const dir = await Deno.makeTempDir();
  const folder = dayDir("2024-03-01");
  const gz = writeLog(dir, `${folder}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:50:00Z", ROLE)]);
  const twin = gz.slice(0, -3);
  Deno.writeTextFileSync(twin, JSON.stringify({ Records: [record("2024-03-01T09:50:00Z", ROLE)] }));
  // A name that sorts between the twins, and a gunzipped log without a .json.gz: both read.
  writeLog(
    dir,
    `${folder}/${logName("20240301T1000Z")}`.replace(".json.gz", ".json-x/") + logName("20240301T1005Z", "b"),
    [
      record("2024-03-01T09:51:00Z", ROLE),
    ],
  );
  Deno.writeTextFileSync(
    `${dir}/${folder}/${logName("20240301T1010Z", "c").slice(0, -3)}`,
    JSON.stringify({ Records: [record("2024-03-01T09:52:00Z", ROLE)] }),
  );
  const quiet = await select(dir);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.deepEqual(JSON.parse(quiet.stdout).Records.map((r: { eventTime: string }) => r.eventTime), [
    "2024-03-01T09:51:00Z",
    "2024-03-01T09:50:00Z",
    "2024-03-01T09:52:00Z",
  ]);
  assert.match(
    quiet.stderr,
    /^select: 3 log files read, 1 gunzipped copies passed over \(their \.json\.gz read\); 3 records matched\n$/,
  );
  const verbose = await runCli(["--verbose", "select", "--log-dir", dir]);
  assert.equal(verbose.stdout, quiet.stdout);
  assert.ok(
    verbose.stderr.includes(`skipped "${twin}": a gunzipped copy of "${gz}", which is read instead\n`),
    verbose.stderr,
  );
});
