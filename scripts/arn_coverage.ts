// deno-lint-ignore-file no-console
/**
 * How many records get concrete resource ARNs under `generate --resources`, per
 * service (the top 15 by records): a Markdown table for docs/policies.md.
 *
 * Run: deno task arn-coverage [--mode precise|prefix] DIR...   (log dirs, as select --log-dir reads them)
 */
import { iamResources } from "../src/core/iam/iam_resources.ts";
import { PolicyGenerator } from "../src/core/policy/policy_generator.ts";
import { documentRecords } from "../src/core/records/record_document.ts";
import { type ResourceMode, ResourceResolver } from "../src/core/iam/resource_arns.ts";
import { logDirInputs } from "../src/sources/log_dir_inputs.ts";
import { readInput } from "../src/sources/record_input.ts";

const modeIndex = Deno.args.indexOf("--mode");
const mode = (modeIndex >= 0 ? Deno.args[modeIndex + 1] : "precise") as ResourceMode;
const dirs = Deno.args.filter((a, i) => !a.startsWith("--") && (modeIndex < 0 || i !== modeIndex + 1));
if (dirs.length === 0) {
  console.error("usage: arn_coverage.ts [--mode precise|prefix] DIR...");
  Deno.exit(2);
}

const generator = new PolicyGenerator({ resolver: new ResourceResolver(iamResources, mode) });
let files = 0;
for (const dir of dirs) {
  // The log dir as select reads it: CloudTrail files and the sync archive, any time.
  for await (const input of logDirInputs(dir, { from: -Infinity, to: Infinity })) {
    const read = readInput(input);
    const parsed = read.ok ? documentRecords(read.doc) : undefined;
    if (!parsed?.ok) continue;
    files++;
    for (const record of parsed.records) generator.add(record);
  }
}
const result = generator.result();
const coverage = result.coverage!;
const pct = (a: number, b: number) => (b === 0 ? "-" : `${((a / b) * 100).toFixed(0)}%`);
console.log(
  `--resources ${mode}: ${files} files, ${result.records} records, ${result.granted} granted (${dirs.join(", ")})\n`,
);
console.log(
  "| service | records | concrete ARNs | of records IAM can scope | partly (`type/*`) | `*`: IAM has no resource type " +
    "| `*`: no ARN built | actions with ARNs |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
const row = (s: ReturnType<typeof coverage.total>) =>
  console.log(
    `| ${s.service} | ${s.records} | ${s.concrete} (${pct(s.concrete, s.records)}) | ${
      pct(s.concrete, s.records - s.noResourceLevel)
    } | ${s.partial} | ${s.noResourceLevel} | ${s.noArn} | ${s.concreteActions} of ${s.actions} |`,
  );
for (const s of coverage.byService().slice(0, 15)) row(s);
row(coverage.total());
