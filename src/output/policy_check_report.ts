/** The report of `check` and `generate --check`: a summary line, the denied calls, the unused grants. */
import type { PolicyCheck } from "../core/policy_check.ts";
import { escapeControl } from "./escape_control.ts";

/** `check: 120 observed calls (action on resource): 118 allowed, 2 denied; 1 allowed only under a Condition ...`. */
export function checkSummary(c: PolicyCheck): string {
  return `check: ${c.calls} observed calls (action on resource): ${c.allowed} allowed, ${c.denied.length} denied` +
    (c.conditional ? `; ${c.conditional} allowed only under a Condition (not evaluated)` : "") +
    `; ${c.unused.length} granted actions unused`;
}

/** The whole report as text. */
export function renderCheckText(c: PolicyCheck): string {
  const lines = [checkSummary(c)];
  if (c.denied.length) {
    lines.push("", "Denied (the policy does not allow what the records did):");
    for (const d of c.denied) {
      lines.push(
        `  ${escapeControl(d.action)} on ${escapeControl(d.resource)} (${d.count} call${
          d.count === 1 ? "" : "s"
        }): ${d.decision}`,
      );
    }
  }
  if (c.unused.length) {
    lines.push("", "Unused (granted, never used by these records):");
    for (const u of c.unused) {
      const what = u.grants === 0
        ? "not in the IAM data"
        : `${u.levels.join(", ")}${u.grants > 1 ? ` (${u.grants} actions)` : ""}`;
      lines.push(`  ${escapeControl(u.action).padEnd(48)} ${what} (statement ${u.statement})`);
    }
  }
  if (c.notAnalysed.length) {
    lines.push("", `Statements with NotAction, not analysed for unused grants: ${c.notAnalysed.join(", ")}`);
  }
  return lines.join("\n") + "\n";
}

/** The whole report as JSON. */
export function renderCheckJson(c: PolicyCheck): string {
  return JSON.stringify(c, null, 2) + "\n";
}
