import assert from "node:assert/strict";
import { docWith, readDocs, shown } from "./helpers/docs.ts";
import { runCli } from "./helpers/fake_io.ts";

/** README.md and docs/*.md: each output below must be shown whole in one of them. */
const docs = await readDocs();

Deno.test("the docs show the real output of the demo (select | generate on the sample logs)", async () => {
  const selected = await runCli([
    "select",
    "--log-dir",
    "data/sample/logs",
    "--filter-assumed-role-arn",
    "arn:aws:iam::111122223333:role/ci-deploy",
  ]);
  const policy = await runCli(["generate"], { stdin: selected.stdout });
  assert.equal(policy.code, 0, policy.stderr);
  assert.ok(shown(docs, selected.stderr + policy.stderr + policy.stdout), "the docs' demo output is stale");
});

Deno.test("the docs show the real output of generate on the sample records", async () => {
  const r = await runCli(["generate"], { stdin: await Deno.readTextFile("data/sample/records.json") });
  assert.ok(shown(docs, "$ trailscraper generate < data/sample/records.json\n" + r.stdout + r.stderr));
});

Deno.test("the docs show the real output of changes on the incident sample (but for the query time)", async () => {
  const r = await runCli([
    "changes",
    "--log-dir",
    "data/sample/incident",
    "--from",
    "2024-03-01T10:00Z",
    "--to",
    "2024-03-01T10:15Z",
  ]);
  assert.equal(r.code, 0, r.stderr);
  // The query time: "N ms" under a second, then a human duration ("1s", "2m 5s") when the machine is slow.
  const withoutTime = (text: string) => text.replace(/ · (\d+ ms|(\d+[hms] ?)+)_\n/g, " · TIME_\n");
  assert.ok(shown(docs, r.stdout, withoutTime), "the docs' changes output is stale");
});

Deno.test("the docs show the real output of check and of generate --per-principal on the incident sample", async () => {
  const selected = await runCli([
    "select",
    "--log-dir",
    "data/sample/incident",
    "--from",
    "2024-03-01",
    "--to",
    "2024-03-02",
  ]);
  const dir = await Deno.makeTempDir();
  const perPrincipal = await runCli(["generate", "--per-principal", "--out-dir", `${dir}/policies`], {
    stdin: selected.stdout,
  });
  const written = perPrincipal.stderr.replace(`${dir}/policies`, "policies");
  assert.ok(shown(docs, selected.stderr + written), "the docs' per-principal output is stale");
  const marker = '{"Statement": [\n  {"Effect": "Allow", "Action": ["ec2:*"';
  const text = docWith(docs, marker).text;
  const policy = text.slice(text.indexOf(marker));
  await Deno.writeTextFile(`${dir}/policy.json`, policy.slice(0, policy.indexOf("]}\n") + 3));
  const check = await runCli(["check", "--policy", `${dir}/policy.json`], { stdin: selected.stdout });
  assert.ok(shown(docs, selected.stderr + check.stdout + check.stderr), "the docs' check output is stale");
});

Deno.test("the docs show the real output of generate --resources precise and --compact on the ARN fixture", async () => {
  const stdin = await Deno.readTextFile("tests/fixtures/generate/resource_arns.records.json");
  const precise = await runCli(["generate", "--resources", "precise"], { stdin });
  assert.ok(shown(docs, precise.stderr), "the docs' --resources summary is stale");
  for (const mode of ["precise", "prefix"]) {
    const policy = JSON.parse((await runCli(["generate", "--resources", mode], { stdin })).stdout) as {
      Statement: { Action: string[]; Resource: string[] }[];
    };
    // Every row of the docs' table: the action's resources as the policy grants them.
    const column = mode === "precise" ? 2 : 3;
    const rows = docs.flatMap((d) => d.text.split("\n")).filter((l) => /^\| `[a-z0-9-]+:[A-Za-z]+` +\| /.test(l));
    assert.ok(rows.length >= 10, "the docs' table of ARNs is missing");
    for (const row of rows) {
      const cells = row.slice(1, -1).split(" | ").map((c) => c.trim());
      const action = cells[0]!.replaceAll("`", "");
      const granted = [...new Set(policy.Statement.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource))]
        .sort();
      assert.equal(cells[column], granted.map((r) => `\`${r}\``).join("<br>"), `${mode} ${action}`);
    }
  }
  // Every line found before it is compared (an indexOf of -1 would compare nothing: each one is asserted).
  const compact = await runCli(["generate", "--compact"], { stdin });
  assert.match(compact.stderr, /^generate: \d+ records -> \d+ statements/);
  assert.ok(shown(docs, compact.stderr), "the docs' --compact summary is stale");
  const start = compact.stdout.indexOf('        {\n            "Action": [\n                "dynamodb:Query"');
  assert.ok(start >= 0, "the --compact policy has no dynamodb:Query statement");
  const end = compact.stdout.indexOf("        },\n", start);
  assert.ok(end > start, "the dynamodb:Query statement does not end");
  assert.ok(shown(docs, compact.stdout.slice(start, end + 11)), "the docs' --compact output is stale");
  // The whole block is also run by tests/readme_examples_test.ts.
});

Deno.test("the docs' numbers for check --resources on the ARN fixture are real", async () => {
  const base = "tests/fixtures/generate/resource_arns";
  const stdin = await Deno.readTextFile(`${base}.records.json`);
  const precise = await runCli(["check", "--policy", `${base}.precise.policy.json`], { stdin });
  const plain = await runCli(["check", "--policy", `${base}.precise.policy.json`, "--resources", "records"], {
    stdin,
  });
  const allowed = /check: (\d+) observed calls/.exec(precise.stdout)?.[1];
  const denied = /denies (\d+ of \d+) observed calls/.exec(plain.stderr)?.[1];
  const oneLine = (text: string) => text.replace(/\s+/g, " ");
  assert.ok(precise.code === 0 && plain.code === 1, precise.stdout + plain.stdout);
  assert.ok(shown(docs, `allows all ${allowed} calls that way`, oneLine), "stale number of allowed calls");
  assert.ok(shown(docs, `then denies ${denied} when the calls keep`, oneLine), "stale number of denied calls");
});
