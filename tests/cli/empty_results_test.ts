/** No silent empty results: a usage mistake is exit 2 with a hint; a valid query that matches nothing says why. */
import assert from "node:assert/strict";
import { generateCorpus } from "../../scripts/gen_corpus.ts";
import { runCli } from "../helpers/fake_io.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";

const LOGS = "data/sample/logs";
const ROLE = "arn:aws:iam::111122223333:role/ci-deploy";

Deno.test("select: a log dir that does not exist fails (exit 1), like changes and last-event-timestamp", async () => {
  for (const command of ["select", "changes", "last-event-timestamp"]) {
    const r = await runCli([command, "--log-dir", "/nonexistent/logs"]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, "", 'error: log dir "/nonexistent/logs" does not exist\n']);
  }
  const file = await runCli(["select", "--log-dir", "README.md"]);
  assert.deepEqual([file.code, file.stderr], [1, 'error: log dir "README.md" is not a directory\n']);
});

Deno.test("select and download: --from after --to is a usage error (exit 2), like changes", async () => {
  const cases = [
    ["select", "--log-dir", LOGS, "--from", "2024-03-02", "--to", "2024-03-01"],
    ["select", "--use-cloudtrail-api", "--from", "now", "--to", "2024-03-01"],
    ["select", "--log-dir", LOGS, "--from", "2999-01-01"],
    [
      "download",
      "--bucket",
      "b",
      "--account-id",
      "111122223333",
      "--region",
      "us-east-1",
      "--from",
      "now",
      "--to",
      "2024-03-01",
    ],
    ["changes", "--log-dir", LOGS, "--from", "now", "--to", "2024-03-01"],
  ];
  for (const args of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^error: --from \(.+\) is after --to \(.+\): nothing can be in that range\nRun 'trailscraper \S+ --help' for usage\.\n$/,
    );
  }
});

Deno.test("select: a session ARN stands for its role; a bare role name or a user ARN is a usage error saying what to pass", async () => {
  const byRole = await runCli(["select", "--log-dir", LOGS, "--filter-assumed-role-arn", ROLE]);
  const session = "arn:aws:sts::111122223333:assumed-role/ci-deploy/build-42";
  const bySession = await runCli(["select", "--log-dir", LOGS, "--filter-assumed-role-arn", session]);
  assert.equal(bySession.code, 0, bySession.stderr);
  assert.ok(JSON.parse(byRole.stdout).Records.length > 0);
  assert.equal(bySession.stdout, byRole.stdout);
  assert.match(
    bySession.stderr,
    new RegExp(`^note: "${session}" is a session of role ci-deploy: selecting every session of ${ROLE}\n`),
  );
  const bare = await runCli(["select", "--log-dir", LOGS, "--filter-assumed-role-arn", "ci-deploy"]);
  assert.equal(bare.code, 2);
  assert.equal(bare.stdout, "");
  assert.match(
    bare.stderr,
    /^error: --filter-assumed-role-arn takes the ARN of a role \(arn:aws:iam::<account id>:role\/ci-deploy\)/,
  );
  const user = await runCli([
    "select",
    "--log-dir",
    LOGS,
    "--filter-assumed-role-arn",
    "arn:aws:iam::111122223333:user/alice",
  ]);
  assert.equal(user.code, 2);
  assert.match(
    user.stderr,
    /got "arn:aws:iam::111122223333:user\/alice"\nRun 'trailscraper select --help' for usage\.\n$/,
  );
});

Deno.test("select: a role filter that matches nothing names the roles that do appear", async () => {
  const r = await runCli(["select", "--log-dir", LOGS, "--filter-assumed-role-arn", `${ROLE}-x`]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '{"Records": []}\n');
  assert.match(
    r.stderr,
    /\nnote: roles that appear in the log files of the time range: arn:aws:iam::111122223333:role\/ci-deploy \(\d+\), /,
  );
  const none = await runCli(["select", "--log-dir", LOGS, "--from", "2020-01-01", "--to", "2020-01-02"]);
  assert.equal(none.code, 0);
  assert.match(
    none.stderr,
    /\nnote: no file below "data\/sample\/logs" can hold events of that time range \(a log file is read when/,
  );
});

Deno.test("download: an organization trail without --org-id is a usage error naming the --org-id to add", async () => {
  const source = await Deno.makeTempDir();
  generateCorpus(source, { orgId: "o-a1b2c3d4e5", days: 1, filesPerDay: 1, recordsPerFile: 2, extras: false });
  const peer = await startS3Peer({ fault: () => undefined });
  try {
    await peer.upload("org-bucket", source);
    const args = (...extra: string[]) => [
      "download",
      "--bucket",
      "org-bucket",
      "--account-id",
      "111122223333",
      "--region",
      "us-east-1",
      "--from",
      "2024-03-01",
      "--to",
      "2024-03-01T23:00Z",
      "--log-dir",
      `${source}/out`,
      "--endpoint-url",
      peer.endpoint,
      ...extra,
    ];
    const r = await runCli(args());
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /found AWSLogs\/o-a1b2c3d4e5\/: add --org-id o-a1b2c3d4e5\nRun 'trailscraper download --help'/,
    );
    const ok = await runCli(args("--org-id", "o-a1b2c3d4e5"));
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /^download: 1 log files listed/);
    const elsewhere = await runCli(
      args("--org-id", "o-a1b2c3d4e5").map((a) => a === "111122223333" ? "999999999999" : a),
    );
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    assert.match(
      elsewhere.stderr,
      /\nnote: no log files found; s3:\/\/org-bucket\/AWSLogs\/ holds organization o-a1b2c3d4e5; check --account-id/,
    );
    // A prefix with nothing below it, and an account trail whose days hold no log file: a note, exit 0.
    const wrongPrefix = await runCli(args("--org-id", "o-a1b2c3d4e5", "--prefix", "other/"));
    assert.equal(wrongPrefix.code, 0, wrongPrefix.stderr);
    assert.match(
      wrongPrefix.stderr,
      /\nnote: no log files found; nothing below s3:\/\/org-bucket\/other\/AWSLogs\/: are/,
    );
    const accounts = await Deno.makeTempDir();
    generateCorpus(accounts, { days: 1, filesPerDay: 1, recordsPerFile: 2, extras: false });
    await peer.upload("account-bucket", accounts);
    const later = await runCli(
      args().map((a) => a === "org-bucket" ? "account-bucket" : a === "2024-03-01" ? "2024-04-01" : a)
        .map((a) => a === "2024-03-01T23:00Z" ? "2024-04-01T23:00Z" : a),
    );
    assert.equal(later.code, 0, later.stderr);
    assert.match(
      later.stderr,
      /\nnote: no log files found; s3:\/\/account-bucket\/AWSLogs\/ holds account 111122223333, /,
    );
  } finally {
    await peer.stop();
  }
});
