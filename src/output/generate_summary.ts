/** The one-line stderr summary of `generate`. */
import type { GenerateResult } from "../core/policy/policy_generator.ts";
import { breakdown, total } from "../core/util/counts.ts";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `generate: 120 records -> 12 statements; 2 skipped (2 missing eventName); 3 need no permission (3 AwsServiceEvent)`. */
export function generateSummary(result: GenerateResult): string {
  const parts = [
    `generate: ${plural(result.records, "record")} -> ${plural(result.policy.Statement.length, "statement")}`,
  ];
  const skipped = total(result.skipped);
  if (skipped) parts.push(`${skipped} skipped (${breakdown(result.skipped)})`);
  const ignored = total(result.ignored);
  if (ignored) parts.push(`${ignored} need no permission (${breakdown(result.ignored)})`);
  if (result.unknownActions.length) parts.push(`${plural(result.unknownActions.length, "unknown action")}`);
  if (result.records === 0) parts.push("no records on stdin");
  return parts.join("; ");
}

const percent = (part: number, whole: number) => (whole === 0 ? "0%" : `${Math.round((part / whole) * 100)}%`);

/**
 * `generate: resources: 180 of 200 granted records (90%) got concrete ARNs; 15 on "*" (IAM has no resource-level
 * permission for the action); 5 on "*" (no ARN could be built: s3 3, ec2 2)`.
 */
export function coverageSummary(result: GenerateResult): string | undefined {
  if (!result.coverage) return undefined;
  const services = result.coverage.byService();
  const total = result.coverage.total();
  const parts = [
    `generate: resources: ${total.concrete} of ${plural(total.records, "granted record")} (${
      percent(total.concrete, total.records)
    }) got concrete ARNs`,
  ];
  if (total.partial) {
    parts.push(`${total.partial} partly (a required resource type the record does not name granted as type/*)`);
  }
  if (total.noResourceLevel) {
    parts.push(`${total.noResourceLevel} on "*" (IAM has no resource-level permission for the action)`);
  }
  if (total.noArn) {
    const failing = services.filter((s) => s.noArn > 0).sort((a, b) => b.noArn - a.noArn);
    const by = failing.slice(0, 5).map((s) => `${s.service} ${s.noArn}`).join(", ") +
      (failing.length > 5 ? ", ..." : "");
    parts.push(`${total.noArn} on "*" (no ARN could be built: ${by})`);
  }
  return parts.join("; ");
}
