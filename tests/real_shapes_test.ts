/**
 * `--resources` on records in real traffic's parameter shapes (scripts/real_shape_records.ts): the coverage targets of
 * issue 20 and a self-check that allows every call in every resource mode.
 */
import assert from "node:assert/strict";
import { realShapeRecords } from "../scripts/real_shape_records.ts";
import { iamResources } from "../src/core/iam/iam_resources.ts";
import { PolicyGenerator } from "../src/core/policy/policy_generator.ts";
import { ResourceResolver } from "../src/core/iam/resource_arns.ts";
import { runCli } from "./helpers/fake_io.ts";

const records = realShapeRecords();
const SERVICES = ["iam", "secretsmanager", "s3", "logs", "cloudtrail", "rds", "lambda", "ec2"];

Deno.test("--resources precise on real parameter shapes: >= 95% of scopable records concrete, >= 90% per service", () => {
  const generator = new PolicyGenerator({ resolver: new ResourceResolver(iamResources, "precise") });
  for (const record of records) generator.add(record);
  const coverage = generator.result().coverage!;
  const share = (s: { concrete: number; records: number; noResourceLevel: number }) =>
    s.concrete / (s.records - s.noResourceLevel);
  const byService = new Map(coverage.byService().map((s) => [s.service, s]));
  for (const service of SERVICES) {
    const s = byService.get(service);
    assert.ok(s && s.records >= 10, `${service}: too few records in the corpus`);
    assert.ok(share(s) >= 0.9, `${service}: ${s.concrete} of ${s.records - s.noResourceLevel} concrete`);
  }
  const total = coverage.total();
  assert.ok(share(total) >= 0.95, `all: ${total.concrete} of ${total.records - total.noResourceLevel} concrete`);
});

Deno.test("generate --check on real parameter shapes allows every call in every resource mode", async () => {
  const stdin = records.map((r) => JSON.stringify(r)).join("\n") + "\n";
  for (const mode of [[], ["--resources", "precise"], ["--resources", "prefix"]]) {
    const result = await runCli(["generate", ...mode, "--check"], { stdin });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /check: (\d+) observed calls \(action on resource\): \1 allowed, 0 denied/);
  }
});
