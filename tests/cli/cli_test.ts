import assert from "node:assert/strict";
import { runCli } from "../helpers/fake_io.ts";

const record = (name: string) => JSON.stringify({ eventSource: "ec2.amazonaws.com", eventName: name });

Deno.test("no arguments prints help on stderr and exits 2", async () => {
  const r = await runCli([]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^Usage: trailscraper \[options\] \[command\]/);
});

Deno.test("--help prints help on stdout and exits 0, listing every command", async () => {
  const r = await runCli(["--help"]);
  assert.equal(r.code, 0);
  for (const command of ["generate", "guess", "completions"]) assert.match(r.stdout, new RegExp(`\\n  ${command}\\b`));
  assert.match(r.stdout, /Exit codes: 0 ok, 1 failure, 2 usage error, 130 interrupted/);
});

Deno.test("--version prints the tool and IAM data versions", async () => {
  const r = await runCli(["--version"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^trailscraper \d+\.\d+\.\d+\nIAM data: @cloud-copilot\/iam-data \S+ \(\d{4}-\d{2}-\d{2}\)/);
});

Deno.test("an unknown command is a one-line usage error with a did-you-mean hint", async () => {
  const r = await runCli(["genrate"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(
    r.stderr,
    "error: unknown command 'genrate' (Did you mean generate?)\nRun 'trailscraper --help' for usage.\n",
  );
});

Deno.test("an unknown option and a missing value are usage errors", async () => {
  const unknown = await runCli(["generate", "--bogus"]);
  assert.deepEqual([unknown.code, unknown.stderr], [
    2,
    "error: unknown option '--bogus'\nRun 'trailscraper generate --help' for usage.\n",
  ]);
  const missing = await runCli(["guess", "--only"]);
  assert.deepEqual([missing.code, missing.stderr], [
    2,
    "error: option '--only <verb>' argument missing\nRun 'trailscraper guess --help' for usage.\n",
  ]);
  const badShell = await runCli(["completions", "tcsh"]);
  assert.equal(badShell.code, 2);
  assert.match(badShell.stderr, /^error: command-argument value 'tcsh' is invalid for argument 'shell'/);
});

Deno.test("--verbose is accepted before and after the subcommand", async () => {
  for (const args of [["--verbose", "generate"], ["generate", "--verbose"]]) {
    const r = await runCli(args, { stdin: record("DescribeVpcs") });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"ec2:DescribeVpcs"/);
  }
});

Deno.test("generate: invalid JSON is a one-line error with position, exit 1, empty stdout", async () => {
  const r = await runCli(["generate"], { stdin: '{"Records": [\n  {"eventName": }\n]}' });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "error: cannot read records from stdin: invalid JSON: unexpected '}' at line 2 column 17\n");
});

Deno.test("generate: empty stdin and a document without Records are errors", async () => {
  const empty = await runCli(["generate"], { stdin: "" });
  assert.deepEqual([empty.code, empty.stdout, empty.stderr], [
    1,
    "",
    "error: cannot read records from stdin: no input\n",
  ]);
  const noRecords = await runCli(["generate"], { stdin: '{"Items": []}' });
  assert.equal(noRecords.code, 1);
  assert.equal(
    noRecords.stderr,
    'error: cannot read records from stdin: no "Records" key and not a CloudTrail record at line 1 column 1\n',
  );
});

Deno.test("generate: --verbose adds the stack trace and cause chain to an error", async () => {
  const r = await runCli(["--verbose", "generate"], { stdin: "[" });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /^permissions kept by generate: none\nerror: cannot read records from stdin: unexpected end of input/,
  );
  assert.match(r.stderr, /\n {4}at /);
  assert.match(r.stderr, /Caused by: JsonStreamError/);
});

Deno.test("generate: an empty Records list is an empty policy, with a note on stderr", async () => {
  const r = await runCli(["generate"], { stdin: '{"Records": []}' });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '{\n    "Statement": [],\n    "Version": "2012-10-17"\n}\n');
  assert.equal(r.stderr, "generate: 0 records -> 0 statements; no records on stdin\n");
});

Deno.test("generate and guess say on stderr that they wait when stdin is a terminal", async () => {
  const g = await runCli(["generate"], { stdin: record("DescribeVpcs"), stdinIsTerminal: true });
  assert.match(g.stderr, /^Reading CloudTrail records from stdin \(end with Ctrl-D\)/);
  const p = await runCli(["guess"], { stdin: '{"Statement": []}', stdinIsTerminal: true });
  assert.match(p.stderr, /^Reading an IAM policy from stdin/);
});

Deno.test("guess: trailscraper's output format, --only title-cased, missing Version defaulted", async () => {
  const policy = JSON.stringify({
    Statement: [{ Action: "s3:PutObject", Effect: "Allow", Resource: ["arn:aws:s3:::b/*"] }],
  });
  const r = await runCli(["guess", "--only", "get", "--only", "DELETE"], { stdin: policy });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    `{
    "Statement": [
        {
            "Action": "s3:PutObject",
            "Effect": "Allow",
            "Resource": [
                "arn:aws:s3:::b/*"
            ]
        },
        {
            "Action": [
                "s3:GetObject",
                "s3:DeleteObject"
            ],
            "Effect": "Allow",
            "Resource": [
                "*"
            ]
        }
    ],
    "Version": "2012-10-17"
}
`,
  );
});

Deno.test("guess: bad input is a one-line error naming the problem", async () => {
  const cases: [string, string][] = [
    ["", "no input"],
    ['{"Statement": [}', "invalid JSON: unexpected '}' at line 1 column 16"],
    ['{"Version": "2012-10-17"}', 'no "Statement" key'],
    ['{"Statement": [{"Action": "s3:GetObject"}]}', 'statement 1 has no "Effect"'],
    ["[]", 'expected a JSON object with a "Statement" key'],
  ];
  for (const [stdin, issue] of cases) {
    const r = await runCli(["guess"], { stdin });
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, "", `error: cannot read policy from stdin: ${issue}\n`], stdin);
  }
});

Deno.test("guess and check: a policy nested 100,000 levels deep (in a Condition) is one line, not a stack overflow", async () => {
  const depth = 100_000;
  const deep = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
  const policy =
    `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": ${deep}}]}`;
  const issue = "nested more than 64 levels deep (an IAM policy has a handful)";
  for (const format of ["json", "cloudformation", "terraform"]) {
    const r = await runCli(["guess", "--format", format], { stdin: policy });
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, "", `error: cannot read policy from stdin: ${issue}\n`], format);
  }
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/policy.json`, policy);
  const r = await runCli(["check", "--policy", `${dir}/policy.json`], { stdin: '{"Records": []}' });
  assert.deepEqual([r.code, r.stderr], [1, `error: cannot read policy "${dir}/policy.json": ${issue}\n`]);
});

Deno.test("generate and check: a CloudTrail Insights event (its call inside insightDetails) needs no permission, not 'missing eventSource'", async () => {
  // The shape of AWS's documented example: no eventSource or eventName at the top.
  const insight = {
    eventVersion: "1.07",
    eventTime: "2024-03-01T10:05:00Z",
    awsRegion: "us-east-1",
    eventID: "aab985f2-3a56-4da6-a2b1-6b5b0ee8d76a",
    eventType: "AwsCloudTrailInsight",
    recipientAccountId: "111122223333",
    sharedEventID: "12345678-1234-1234-1234-123456789012",
    insightDetails: {
      state: "Start",
      eventSource: "ssm.amazonaws.com",
      eventName: "UpdateInstanceAssociationStatus",
      insightType: "ApiCallRateInsight",
      insightContext: { statistics: { baseline: { average: 0.1 }, insight: { average: 3 } } },
    },
    eventCategory: "Insight",
  };
  const stdin = JSON.stringify({ Records: [insight] });
  const generated = await runCli(["generate"], { stdin });
  assert.equal(generated.code, 0, generated.stderr);
  assert.equal(
    generated.stderr,
    "generate: 1 record -> 0 statements; 1 need no permission (1 AwsCloudTrailInsight)\n",
  );
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/p.json`,
    '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}',
  );
  const checked = await runCli(["check", "--policy", `${dir}/p.json`], { stdin });
  assert.match(checked.stdout, /1 records, 0 skipped, 1 needing no permission/);
});

Deno.test("completions: bash, zsh and fish scripts name every command and option", async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await runCli(["completions", shell]);
    assert.equal(r.code, 0);
    for (const word of ["generate", "guess", "completions", "only", "verbose"]) {
      assert.ok(r.stdout.includes(word), `${shell} completion lacks ${word}`);
    }
  }
});

Deno.test("completions: the bash script completes commands and each command's options in a real bash", async () => {
  const script = (await runCli(["completions", "bash"])).stdout;
  const complete = async (...words: string[]) => {
    const line = ["trailscraper", ...words].map((w) => `'${w}'`).join(" ");
    const program =
      `${script}\nCOMP_WORDS=(${line}); COMP_CWORD=${words.length}; _trailscraper; echo "\${COMPREPLY[*]}"`;
    const out = await new Deno.Command("bash", { args: ["-c", program], stdout: "piped" }).output();
    return new TextDecoder().decode(out.stdout).trim().split(" ").sort();
  };
  assert.deepEqual(await complete("ge"), ["generate"]);
  assert.deepEqual(await complete("select", "--filter"), ["--filter-assumed-role-arn"]);
  assert.deepEqual(await complete("download", "--wait"), ["--wait", "--wait-interval", "--wait-timeout"]);
  assert.deepEqual(await complete("completions", ""), ["--help", "bash", "fish", "zsh"]);
  assert.deepEqual(await complete("sync", "in"), ["init"]);
  assert.deepEqual(await complete("sync", "init", "--f"), ["--force"]);
  assert.deepEqual(await complete("sync", "--config", "x.jsonc", "init", "--reg"), ["--region"]);
  assert.deepEqual(await complete("changes", "--category", "s"), ["security-groups", "storage"]);
  assert.deepEqual(await complete("select", "--format", ""), ["json", "jsonl"]);
  assert.deepEqual(await complete("check", "--resources", ""), ["precise", "prefix", "records"]);
  assert.deepEqual(await complete("select", "--log-dir", "--"), [""], "a value is not completed with options");
});

Deno.test("completions: zsh and fish scripts offer sync init, category ids and format values", async () => {
  const zsh = (await runCli(["completions", "zsh"])).stdout;
  assert.match(zsh, /\(\( \$\{words\[\(I\)init\]\} \)\) && \{ _arguments '--region/);
  assert.match(zsh, /'--category\[[^\]]*\]:value:\(security-groups auto-scaling /);
  const fish = (await runCli(["completions", "fish"])).stdout;
  assert.match(fish, /-n '__fish_seen_subcommand_from sync; and not __fish_seen_subcommand_from init' -a init /);
  assert.match(fish, /-n '__fish_seen_subcommand_from sync; and __fish_seen_subcommand_from init' -l force /);
  assert.match(fish, /-l category -x -a 'security-groups auto-scaling /);
  assert.match(fish, /-l format -x -a 'markdown text json'/);
});

const installed = (shell: string) => {
  try {
    return new Deno.Command(shell, { args: ["-c", "exit 0"], stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
};

Deno.test({
  name: "completions: the fish script completes sync init, --category ids and --format values in a real fish",
  ignore: !installed("fish"),
  async fn() {
    const script = await Deno.makeTempFile({ suffix: ".fish" });
    await Deno.writeTextFile(script, (await runCli(["completions", "fish"])).stdout);
    const complete = async (line: string) => {
      const out = await new Deno.Command("fish", {
        args: ["-c", `source ${script}; complete -C '${line}'`],
        stdout: "piped",
      }).output();
      return new TextDecoder().decode(out.stdout).trim().split("\n").map((l) => l.split("\t")[0]).sort();
    };
    assert.deepEqual(await complete("trailscraper sync in"), ["init"]);
    assert.deepEqual(await complete("trailscraper sync init --f"), ["--force"]);
    assert.deepEqual(await complete("trailscraper changes --category s"), ["security-groups", "storage"]);
    assert.deepEqual(await complete("trailscraper select --format "), ["json", "jsonl"]);
  },
});

Deno.test({
  name: "completions: the zsh script is valid zsh",
  ignore: !installed("zsh"),
  async fn() {
    const script = await Deno.makeTempFile();
    await Deno.writeTextFile(script, (await runCli(["completions", "zsh"])).stdout);
    const out = await new Deno.Command("zsh", { args: ["-n", script], stderr: "piped" }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
  },
});
