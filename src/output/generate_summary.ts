/** The one-line stderr summary of `generate`. */
import type { GenerateResult } from "../core/policy_generator.ts";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function breakdown(counts: Map<string, number>): string {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${n} ${k}`).join(", ");
}

/** `generate: 120 records, 12 statements; 2 skipped (2 missing eventName); 3 need no permission (...)`. */
export function generateSummary(result: GenerateResult): string {
  const parts = [
    `generate: ${plural(result.records, "record")} -> ${plural(result.policy.Statement.length, "statement")}`,
  ];
  const skipped = [...result.skipped.values()].reduce((a, b) => a + b, 0);
  if (skipped) parts.push(`${skipped} skipped (${breakdown(result.skipped)})`);
  const ignored = [...result.ignored.values()].reduce((a, b) => a + b, 0);
  if (ignored) parts.push(`${ignored} need no permission (${breakdown(result.ignored)})`);
  if (result.unknownActions.length) parts.push(`${plural(result.unknownActions.length, "unknown action")}`);
  if (result.records === 0) parts.push("no records on stdin");
  return parts.join("; ");
}
