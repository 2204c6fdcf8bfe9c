import assert from "node:assert/strict";
import { generateCorpus } from "../../scripts/gen_corpus.ts";
import { incidentRecords } from "../../scripts/incident_records.ts";
import { iamActionsOf } from "../../src/core/iam/iam_catalog.ts";
import { runCli } from "../helpers/fake_io.ts";

const fixtures = new URL("../fixtures/generate/", import.meta.url);

const MODES = [[], ["--resources", "precise"], ["--resources", "prefix"]];

Deno.test("generate --check: the policy allows 100% of what it was generated from, on every golden fixture", async (t) => {
  for await (const entry of Deno.readDir(fixtures)) {
    if (!entry.name.endsWith(".records.json")) continue;
    for (const mode of MODES) {
      await t.step(`${entry.name} ${mode.join(" ")}`, async () => {
        const r = await runCli(["generate", "--check", ...mode], {
          stdin: await Deno.readTextFile(new URL(entry.name, fixtures)),
        });
        assert.equal(r.code, 0, r.stderr);
        const m = /check: (\d+) observed calls \(action on resource\): (\d+) allowed, 0 denied/.exec(r.stderr);
        assert.ok(m && m[1] === m[2] && Number(m[1]) > 0, r.stderr);
      });
    }
  }
});

Deno.test("generate --check: 100% allowed on a generated corpus of many accounts, roles and resources", async () => {
  const dir = await Deno.makeTempDir();
  generateCorpus(dir, { days: 1, filesPerDay: 3, recordsPerFile: 200, extras: false });
  const selected = await runCli(["select", "--log-dir", dir, "--format", "jsonl"]);
  for (const mode of MODES) {
    const r = await runCli(["generate", "--check", ...mode], { stdin: selected.stdout });
    assert.equal(r.code, 0, r.stderr);
    const m = /check: (\d+) observed calls \(action on resource\): (\d+) allowed, 0 denied/.exec(r.stderr);
    assert.ok(m && m[1] === m[2] && Number(m[1]) > 100, r.stderr);
  }
});

Deno.test("check: names the calls a policy would deny and the grants nobody used, with access levels", async () => {
  const dir = await Deno.makeTempDir();
  const policy = `${dir}/policy.json`;
  await Deno.writeTextFile(
    policy,
    JSON.stringify({
      Statement: [
        { Effect: "Allow", Action: ["ec2:*", "iam:PutRolePolicy", "s3:Get*", "rds:DeleteDBInstance"], Resource: "*" },
        { Effect: "Deny", Action: "ec2:TerminateInstances", Resource: "*" },
        {
          Effect: "Allow",
          NotAction: "iam:*",
          Resource: "*",
          Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
        },
      ],
    }),
  );
  const records = JSON.stringify({ Records: incidentRecords() });
  const r = await runCli(["check", "--policy", policy], { stdin: records });
  assert.equal(r.code, 1); // the explicit Deny; the NotAction statement (under its Condition) allows the rest
  assert.equal(r.stderr, "error: the policy denies 1 of 18 observed calls\n");
  assert.equal(
    r.stdout,
    "check: 18 observed calls (action on resource): 17 allowed, 1 denied; 8 allowed only under a Condition (not evaluated); 1 granted actions unused; 17 records, 0 skipped\n" +
      "\nDenied (the policy does not allow what the records did):\n" +
      "  ec2:TerminateInstances on arn:aws:ec2:us-east-1:111122223333:instance/i-0bb7 (1 call): explicitly denied\n" +
      "\nUnused (granted, never used by these records):\n" +
      "  rds:DeleteDBInstance                             Write (statement 1)\n" +
      "\nStatements with NotAction, not analysed for unused grants: 3\n",
  );
  const json = await runCli(["check", "--policy", policy, "--format", "json"], { stdin: records });
  const report = JSON.parse(json.stdout);
  assert.deepEqual(report.unused, [{ action: "rds:DeleteDBInstance", statement: 1, levels: ["Write"], grants: 1 }]);
  const strict = await runCli(["check", "--policy", policy], {
    stdin: JSON.stringify({ Records: incidentRecords().filter((r) => r.eventName !== "TerminateInstances") }),
  });
  assert.equal(strict.code, 0);
});

Deno.test("check: every record it cannot use is counted by reason in the summary, text and JSON", async () => {
  const dir = await Deno.makeTempDir();
  const policy = `${dir}/policy.json`;
  await Deno.writeTextFile(policy, JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }));
  let deep: unknown = {};
  for (let i = 0; i < 100_000; i++) deep = { a: deep };
  const good = incidentRecords()[0]!;
  const records = [
    good,
    "a string",
    5,
    null,
    { eventSource: "s3.amazonaws.com", eventTime: "2024-01-01T00:00:00Z" },
    { ...good, eventType: "AwsServiceEvent" },
  ];
  const stdin = JSON.stringify({ Records: records }).slice(0, -2) + `,{"eventName":"X","requestParameters":` +
    "[".repeat(100_000) + "]".repeat(100_000) + "}]}";
  const text = await runCli(["check", "--policy", policy], { stdin });
  assert.equal(text.code, 0, text.stderr);
  const summary = text.stdout.split("\n")[0]!;
  assert.match(
    summary,
    /; 7 records, 5 skipped \(3 not an object, 1 missing eventName, 1 [^)]+\), 1 needing no permission$/,
  );
  const json = await runCli(["check", "--policy", policy, "--format", "json"], { stdin });
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assert.equal(report.records, 7);
  assert.equal(report.skipped["not an object"], 3);
  assert.equal(report.skipped["missing eventName"], 1);
  assert.equal(Object.values(report.skipped as Record<string, number>).reduce((a, b) => a + b), 5);
  assert.deepEqual(report.ignored, { AwsServiceEvent: 1 });
  assert.equal(json.stderr, summary + "\n");
});

Deno.test("check: denied calls exit 1; a missing or broken policy is one line", async () => {
  const dir = await Deno.makeTempDir();
  const policy = `${dir}/policy.json`;
  await Deno.writeTextFile(
    policy,
    JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:Get*", Resource: "*" }] }),
  );
  const r = await runCli(["check", "--policy", policy], { stdin: JSON.stringify({ Records: incidentRecords() }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: the policy denies 17 of 18 observed calls\n$/);
  assert.match(r.stdout, /granted actions unused; 17 records, 0 skipped\n/);
  assert.doesNotMatch(r.stdout, /s3:Get\*/, "s3:GetBucketPolicy used the wildcard");
  const missing = await runCli(["check", "--policy", `${dir}/none.json`], { stdin: "{}" });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: cannot read policy ".*none\.json": No such file or directory/);
  await Deno.writeTextFile(policy, "{ nope");
  const broken = await runCli(["check", "--policy", policy], { stdin: "{}" });
  assert.match(
    broken.stderr,
    /^error: cannot read policy ".*policy\.json": invalid JSON: unexpected 'n' at line 1 column 3\n/,
  );
});

Deno.test("check --resources: a generate --resources policy allows every call when the calls' ARNs are built alike", async () => {
  const base = new URL("resource_arns", fixtures).pathname;
  const stdin = await Deno.readTextFile(`${base}.records.json`);
  for (const mode of ["precise", "prefix"]) {
    // A prefix policy (bucket/*) also covers the precise ARNs of the same calls.
    for (const checkMode of mode === "prefix" ? ["precise", "prefix"] : ["precise"]) {
      const r = await runCli(["check", "--policy", `${base}.${mode}.policy.json`, "--resources", checkMode], { stdin });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /check: (\d+) observed calls \(action on resource\): \1 allowed, 0 denied/);
    }
  }
  // Without --resources the calls are built precisely too: the precise policy allows them all.
  const plain = await runCli(["check", "--policy", `${base}.precise.policy.json`], { stdin });
  assert.equal(plain.code, 0, plain.stdout + plain.stderr);
  assert.match(plain.stdout, /check: (\d+) observed calls \(action on resource\): \1 allowed, 0 denied/);
  // --resources records keeps trailscraper's resources ("*" where resources[] is empty): denied by ARNs.
  const records = await runCli(["check", "--policy", `${base}.precise.policy.json`, "--resources", "records"], {
    stdin,
  });
  assert.equal(records.code, 1);
  assert.match(records.stdout, /ssm:GetParameters on \* \(1 call\): implicitly denied/);
});

Deno.test("check: by default a policy scoped to the ARNs a call touched allows it; --resources records checks on *", async () => {
  const dir = await Deno.makeTempDir();
  const policy = `${dir}/policy.json`;
  const instance = "arn:aws:ec2:us-east-1:111122223333:instance/i-0bb7";
  await Deno.writeTextFile(
    policy,
    JSON.stringify({ Statement: [{ Effect: "Allow", Action: "ec2:TerminateInstances", Resource: instance }] }),
  );
  const stdin = JSON.stringify({ Records: incidentRecords().filter((r) => r.eventName === "TerminateInstances") });
  const scoped = await runCli(["check", "--policy", policy], { stdin });
  assert.deepEqual([scoped.code, scoped.stderr], [0, ""]);
  assert.match(scoped.stdout, /^check: 1 observed calls \(action on resource\): 1 allowed, 0 denied/);
  const onStar = await runCli(["check", "--policy", policy, "--resources", "records"], { stdin });
  assert.equal(onStar.code, 1);
  assert.match(onStar.stdout, /ec2:TerminateInstances on \* \(1 call\): implicitly denied/);
  // Another instance is still denied: the default is not a wildcard.
  await Deno.writeTextFile(
    policy,
    JSON.stringify({
      Statement: [{ Effect: "Allow", Action: "ec2:TerminateInstances", Resource: instance.replace("0bb7", "0cc8") }],
    }),
  );
  const other = await runCli(["check", "--policy", policy], { stdin });
  assert.equal(other.code, 1);
  assert.match(other.stdout, new RegExp(`ec2:TerminateInstances on ${instance} \\(1 call\\): implicitly denied`));
});

Deno.test("check: a policy of wildcard-heavy actions (issue 18) is checked at once, with the same findings", async () => {
  const dir = await Deno.makeTempDir();
  const heavy = ["s3:" + "*?".repeat(10) + "x", "s3:" + "*?".repeat(1000) + "x", "ec2:*?*?*?*?Instances"];
  const records = JSON.stringify({ Records: incidentRecords() });
  const results = [];
  for (const actions of [heavy, ["ec2:????*Instances"]]) {
    const policy = `${dir}/policy.json`;
    await Deno.writeTextFile(
      policy,
      JSON.stringify({ Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] }),
    );
    results.push(await runCli(["check", "--policy", policy, "--format", "json"], { stdin: records }));
  }
  const [withHeavy, plain] = results.map((r) => JSON.parse(r!.stdout));
  // `*?*?*?*?` is `????*` (RunInstances is denied, DescribeInstances allowed); the s3 patterns grant the actions that
  // end in "x" and are long enough.
  assert.deepEqual(withHeavy.denied, plain.denied);
  assert.ok(plain.denied.some((d: { action: string }) => d.action === "ec2:RunInstances"), JSON.stringify(plain));
  assert.ok(!plain.denied.some((d: { action: string }) => d.action === "ec2:DescribeInstances"), JSON.stringify(plain));
  const endsInX = (min: number) => iamActionsOf("s3").filter((a) => a.length >= min + 1 && /x$/i.test(a)).length;
  assert.deepEqual(
    withHeavy.unused.filter((u: { action: string }) => u.action.startsWith("s3:")).map((u: { grants: number }) =>
      u.grants
    ),
    [endsInX(10), endsInX(1000)],
  );
});

Deno.test("check: a statement IAM would refuse (no Resource, both Resource and NotResource, ...) is one line, not allowed", async () => {
  const dir = await Deno.makeTempDir();
  const policy = `${dir}/policy.json`;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ Effect: "Allow", Action: "*" }, /statement 1 has neither "Resource" nor "NotResource"/],
    [{ Effect: "Allow", Action: "*", Resource: "*", NotResource: "x" }, /statement 1 has both "Resource" and/],
    [{ Effect: "Allow", Resource: "*" }, /statement 1 has neither "Action" nor "NotAction"/],
    [{ Effect: "Allow", Action: "*", NotAction: "s3:*", Resource: "*" }, /statement 1 has both "Action" and/],
    [{ Effect: "allow", Action: "*", Resource: "*" }, /statement 1 has "Effect" "allow": IAM takes "Allow" or "Deny"/],
    [{ Effect: "Allow", Action: "*", Resource: 5 }, /statement 1: "Resource" must be a string or a list of strings/],
    [{ Effect: "Allow", Action: ["*", {}], Resource: "*" }, /statement 1: "Action" must be a string or a list of/],
  ];
  for (const [statement, message] of cases) {
    await Deno.writeTextFile(policy, JSON.stringify({ Statement: [statement] }));
    const r = await runCli(["check", "--policy", policy], { stdin: JSON.stringify({ Records: incidentRecords() }) });
    assert.equal(r.code, 1, JSON.stringify(statement));
    assert.equal(r.stdout, "", JSON.stringify(statement));
    assert.match(r.stderr, new RegExp(`^error: cannot read policy ".*policy\\.json": ${message.source}.*\\n$`));
  }
});

Deno.test("check: a policy file that starts with a byte order mark (Notepad, PowerShell) is read like one without", async () => {
  const dir = await Deno.makeTempDir();
  const policy = `${dir}/policy.json`;
  const text = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:Get*", Resource: "*" }] });
  const records = JSON.stringify({ Records: incidentRecords() });
  await Deno.writeTextFile(policy, text);
  const plain = await runCli(["check", "--policy", policy, "--format", "json"], { stdin: records });
  await Deno.writeTextFile(policy, "\uFEFF" + text);
  const bom = await runCli(["check", "--policy", policy, "--format", "json"], { stdin: records });
  assert.equal(bom.code, plain.code, bom.stderr);
  assert.equal(bom.stdout, plain.stdout);
  assert.ok(JSON.parse(bom.stdout).denied.length > 0, bom.stdout);
});

Deno.test("check: a 12 MB policy of 300,000 actions the IAM data lacks is checked in seconds, each one reported", async () => {
  const dir = await Deno.makeTempDir();
  const policy = `${dir}/policy.json`;
  const unknown = Array.from({ length: 300_000 }, (_, i) => `ec2:DescribeNothing${i}`);
  await Deno.writeTextFile(
    policy,
    JSON.stringify({ Statement: [{ Effect: "Allow", Action: unknown, Resource: "*" }] }),
  );
  assert.ok((await Deno.stat(policy)).size > 8e6);
  const started = performance.now();
  const r = await runCli(["check", "--policy", policy, "--format", "json"], {
    stdin: JSON.stringify({ Records: incidentRecords() }),
  });
  const seconds = (performance.now() - started) / 1000;
  const report = JSON.parse(r.stdout) as { unused: { action: string; grants: number }[] };
  assert.equal(report.unused.length, unknown.length);
  assert.ok(report.unused.every((u) => u.grants === 0));
  // Each unknown action scanned (and lower-cased) every ec2 action: ~0.5 ms each, 150 s for these; now ~1 s.
  assert.ok(seconds < 30, `${seconds.toFixed(1)} s`);
});

Deno.test("check: a --policy that never ends (/dev/zero) is refused past 64 MiB, not read into all the memory", async () => {
  const r = await runCli(["check", "--policy", "/dev/zero"], { stdin: JSON.stringify({ Records: incidentRecords() }) });
  assert.deepEqual(
    [r.code, r.stdout, r.stderr],
    [1, "", 'error: cannot read policy "/dev/zero": more than 64 MiB: an IAM policy has at most 10,240 characters\n'],
  );
});
