/** The one-line stderr summary of `generate`. */
import type { GenerateResult } from "../core/policy_generator.ts";
import { breakdown, total } from "../core/counts.ts";

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
