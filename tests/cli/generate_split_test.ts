import assert from "node:assert/strict";
import { join } from "node:path";
import { incidentRecords } from "../../scripts/incident_records.ts";
import { evaluate } from "../../src/core/policy/policy_evaluator.ts";
import type { PolicyDocument } from "../../src/core/policy/policy.ts";
import { policySize } from "../../src/core/policy/policy_size.ts";
import { runCli } from "../helpers/fake_io.ts";
import { record } from "../helpers/log_tree.ts";

const incident = JSON.stringify({ Records: incidentRecords() });

Deno.test("generate --per-principal: one policy per role, user and service, as {principal: policy} or files", async () => {
  const r = await runCli(["generate", "--per-principal", "--check"], { stdin: incident });
  assert.equal(r.code, 0, r.stderr);
  const policies = JSON.parse(r.stdout) as Record<string, PolicyDocument>;
  assert.deepEqual(Object.keys(policies), [
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:role/backup",
    "arn:aws:iam::111122223333:role/ci-deploy",
    "arn:aws:iam::111122223333:role/dba",
    "arn:aws:iam::111122223333:role/ops",
    "arn:aws:iam::111122223333:user/alice",
    "service:autoscaling.amazonaws.com",
  ]);
  assert.deepEqual(policies["arn:aws:iam::111122223333:role/dba"]!.Statement[0]!.Action, [
    "rds:ModifyDBInstance",
    "rds:ModifyDBParameterGroup",
  ]);
  assert.match(r.stderr, /generate: arn:aws:iam::111122223333:user\/alice: 6 records -> 1 statement\n/);
  assert.doesNotMatch(r.stderr, /[1-9]\d* denied/);
  const dir = await Deno.makeTempDir();
  const files = await runCli(["generate", "--per-principal", "--out-dir", dir], { stdin: incident });
  assert.equal(files.code, 0, files.stderr);
  assert.equal(files.stdout, "");
  assert.match(files.stderr, /generate: 7 policies written to /);
  const written = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert.deepEqual(written, [
    "iam_111122223333_role_app.json",
    "iam_111122223333_role_backup.json",
    "iam_111122223333_role_ci-deploy.json",
    "iam_111122223333_role_dba.json",
    "iam_111122223333_role_ops.json",
    "iam_111122223333_user_alice.json",
    "service_autoscaling.amazonaws.com.json",
  ]);
  assert.deepEqual(
    JSON.parse(Deno.readTextFileSync(join(dir, "iam_111122223333_role_dba.json"))),
    policies["arn:aws:iam::111122223333:role/dba"],
  );
});

Deno.test("generate warns over 6,144 characters; --max-size splits into policies that fit and allow the same", async () => {
  const records = Array.from({ length: 300 }, (_, i) => ({
    ...record("2024-03-01T10:00:00Z", "arn:aws:iam::111122223333:role/app", "GetObject"),
    eventSource: "s3.amazonaws.com",
    resources: [{ ARN: `arn:aws:s3:::bucket-${i % 7}/key-${i}` }],
  }));
  const stdin = JSON.stringify({ Records: records });
  const whole = await runCli(["generate"], { stdin });
  assert.equal(whole.code, 0, whole.stderr);
  assert.match(
    whole.stderr,
    /warning: the policy has \d+ characters \(white space not counted\), more than the 6144 of a managed policy; --max-size 6144 splits it\n$/,
  );
  const split = await runCli(["generate", "--max-size", "6144"], { stdin });
  const parts = JSON.parse(split.stdout) as PolicyDocument[];
  assert.ok(parts.length >= 2, `${parts.length} parts`);
  for (const part of parts) assert.ok(policySize(part) <= 6144, `${policySize(part)}`);
  for (let i = 0; i < 300; i++) {
    const request = { action: "s3:GetObject", resource: `arn:aws:s3:::bucket-${i % 7}/key-${i}` };
    assert.ok(parts.some((p) => evaluate(p, request).decision === "allowed"), request.resource);
  }
  const bad = await runCli(["generate", "--out-dir", "/tmp/x"], { stdin });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: --out-dir goes with --per-principal or --max-size\n/);
});

Deno.test("generate --per-principal --out-dir: names that differ only in punctuation or case get files of their own", async () => {
  const roles = ["role/deploy+prod", "role/deploy@prod", "role/deploy=prod", "role/Deploy=prod", "role/deploy_prod"];
  const events = ["DescribeInstances", "RunInstances", "StopInstances", "StartInstances", "RebootInstances"];
  const records = roles.map((role, i) =>
    record("2024-03-01T10:00:00Z", `arn:aws:iam::111122223333:${role}`, events[i])
  );
  const dir = await Deno.makeTempDir();
  const r = await runCli(["generate", "--per-principal", "--out-dir", dir], {
    stdin: JSON.stringify({ Records: records }),
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /generate: 5 policies written to /);
  const written = [...Deno.readDirSync(dir)].map((e) => e.name);
  assert.equal(written.length, 5, written.join(" "));
  assert.equal(new Set(written.map((n) => n.toLowerCase())).size, 5, "unique on a case-insensitive file system too");
  // Each file holds its principal's policy, as the note on stderr names it.
  for (const [i, role] of roles.entries()) {
    const note = new RegExp(`generate: arn:aws:iam::111122223333:${role.replace(/[+]/g, "\\+")} -> (\\S+)\\n`).exec(
      r.stderr,
    );
    assert.ok(note, `${role}: ${r.stderr}`);
    const policy = JSON.parse(Deno.readTextFileSync(join(dir, note[1]!))) as PolicyDocument;
    assert.deepEqual(policy.Statement[0]!.Action, [`ec2:${events[i]}`]);
  }
});

Deno.test("generate --out-dir naming a file is a one-line error before stdin is read, not an unexpected failure", async () => {
  const file = await Deno.makeTempFile();
  for (const mode of [["--per-principal"], ["--max-size", "2048"]]) {
    const r = await runCli(["generate", ...mode, "--out-dir", file], { stdin: incident });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^error: cannot write to --out-dir ".*": it is not a folder\n$/);
  }
});
