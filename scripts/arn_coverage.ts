// deno-lint-ignore-file no-console
/**
 * How many records get concrete resource ARNs under `generate --resources`, per
 * service (the top 15 by records): a Markdown table for the README.
 *
 * Run: deno task arn-coverage [--mode precise|prefix] DIR...   (CloudTrail .json.gz / .json files below each DIR)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { iamResources } from "../src/core/iam_resources.ts";
import { PolicyGenerator } from "../src/core/policy_generator.ts";
import { type ResourceMode, ResourceResolver } from "../src/core/resource_arns.ts";

const modeIndex = Deno.args.indexOf("--mode");
const mode = (modeIndex >= 0 ? Deno.args[modeIndex + 1] : "precise") as ResourceMode;
const dirs = Deno.args.filter((a, i) => !a.startsWith("--") && (modeIndex < 0 || i !== modeIndex + 1));
if (dirs.length === 0) {
  console.error("usage: arn_coverage.ts [--mode precise|prefix] DIR...");
  Deno.exit(2);
}

function* logFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* logFiles(path);
    else if (/\.json(\.gz)?$/.test(entry.name) && !entry.name.includes("Digest")) yield path;
  }
}

const generator = new PolicyGenerator({ resolver: new ResourceResolver(iamResources, mode) });
let files = 0;
for (const dir of dirs) {
  for (const path of logFiles(dir)) {
    const bytes = readFileSync(path);
    const text = new TextDecoder().decode(path.endsWith(".gz") ? gunzipSync(bytes) : bytes);
    let records: unknown;
    try {
      records = (JSON.parse(text) as { Records?: unknown }).Records;
    } catch {
      continue;
    }
    if (!Array.isArray(records)) continue;
    files++;
    for (const record of records) generator.add(record);
  }
}
const result = generator.result();
const coverage = result.coverage!;
const pct = (a: number, b: number) => (b === 0 ? "-" : `${((a / b) * 100).toFixed(0)}%`);
console.log(
  `--resources ${mode}: ${files} files, ${result.records} records, ${result.granted} granted (${dirs.join(", ")})\n`,
);
console.log(
  "| service | records | concrete ARNs | of records IAM can scope | `*`: IAM has no resource type | `*`: no ARN built | actions with ARNs |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|");
const row = (s: ReturnType<typeof coverage.total>) =>
  console.log(
    `| ${s.service} | ${s.records} | ${s.concrete} (${pct(s.concrete, s.records)}) | ${
      pct(s.concrete, s.records - s.noResourceLevel)
    } | ${s.noResourceLevel} | ${s.noArn} | ${s.concreteActions} of ${s.actions} |`,
  );
for (const s of coverage.byService().slice(0, 15)) row(s);
row(coverage.total());
