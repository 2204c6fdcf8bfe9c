/** The report of `check` and `generate --check`: a summary line, the denied calls, the unused grants. */
import { breakdown, total } from "../core/util/counts.ts";
import type { PolicyCheck } from "../core/policy/policy_check.ts";
import { escapeControl } from "./escape_control.ts";

/** What the check read: every record, the ones it could not use and the ones that need no permission, by reason. */
export interface CheckInput {
  records: number;
  skipped: Record<string, number>;
  /** Records that need no IAM permission (their event type, call or service), by reason. */
  ignored: Record<string, number>;
}

/**
 * `check: 120 observed calls (action on resource): 118 allowed, 2 denied; 1 allowed only under a Condition ...`,
 * with `input`: `...; 130 records, 2 skipped (2 not an object), 8 needing no permission`.
 */
export function checkSummary(c: PolicyCheck, input?: CheckInput): string {
  return `check: ${c.calls} observed calls (action on resource): ${c.allowed} allowed, ${c.denied.length} denied` +
    (c.conditional ? `; ${c.conditional} allowed only under a Condition (not evaluated)` : "") +
    `; ${c.unused.length} granted actions unused` + (input ? inputSummary(input) : "");
}

function inputSummary(input: CheckInput): string {
  const skipped = total(input.skipped);
  const ignored = total(input.ignored);
  return `; ${input.records} records, ${skipped} skipped${
    skipped ? ` (${escapeControl(breakdown(input.skipped))})` : ""
  }` +
    (ignored ? `, ${ignored} needing no permission` : "");
}

/** The whole report as text. */
export function renderCheckText(c: PolicyCheck, input?: CheckInput): string {
  const lines = [checkSummary(c, input)];
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

/** The whole report as JSON (with `input`: its `records`, `skipped` and `ignored` counts too). */
export function renderCheckJson(c: PolicyCheck, input?: CheckInput): string {
  return JSON.stringify({ ...c, ...input }, null, 2) + "\n";
}
