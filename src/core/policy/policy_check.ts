/** A policy against what records did: which calls it would deny, and which of its grants no call used. */
import type { ObservedCall } from "./observed_calls.ts";
import type { PolicyDocument } from "./policy.ts";
import { PolicyEvaluator, wildcardMatch } from "./policy_evaluator.ts";
import { actionParts } from "../iam/action_parts.ts";

/** A call the policy would not allow. */
export interface DeniedCall extends ObservedCall {
  decision: "explicitly denied" | "implicitly denied";
}

/** An action (or wildcard) an Allow statement grants that no observed call used. */
export interface UnusedGrant {
  action: string;
  statement: number;
  /** Access levels of the actions it grants (List, Read, Write, Permissions management, Tagging). */
  levels: string[];
  /** How many IAM actions it grants (1 for an exact action; 0 when the IAM data does not know it). */
  grants: number;
}

/** The check's findings. */
export interface PolicyCheck {
  calls: number;
  allowed: number;
  /** Allowed only by a statement whose Condition was not evaluated. */
  conditional: number;
  denied: DeniedCall[];
  unused: UnusedGrant[];
  /** Statements not analysed for unused grants (NotAction: what they grant is everything but a list). */
  notAnalysed: number[];
}

/** What the check needs of the IAM data. */
export interface IamLevels {
  /** The actions of a service prefix. */
  actionsOf(prefix: string): string[];
  /** An action's access level codes (L, R, W, P, T), if known. */
  levelOf(action: string): string | undefined;
}

const LEVELS: Record<string, string> = { L: "List", R: "Read", W: "Write", P: "Permissions management", T: "Tagging" };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);

function grantedActions(pattern: string, iam: IamLevels): string[] {
  if (!pattern.includes("*") && !pattern.includes("?")) return iam.levelOf(pattern) ? [pattern] : [];
  // Split as `levelOf` reads an action: `s3:Get*:x` grants no action, not s3:Get*.
  const parts = actionParts(pattern);
  if (!parts) return [];
  const { prefix, name } = parts;
  const prefixes = prefix.includes("*") || prefix.includes("?") ? [] : [prefix];
  return prefixes.flatMap((p) => iam.actionsOf(p).filter((a) => wildcardMatch(name, a, true)).map((a) => `${p}:${a}`));
}

/** By action, then resource, in UTF-16 code unit order (the order of `ObservedCalls.calls`). */
function byActionThenResource(a: ObservedCall, b: ObservedCall): number {
  if (a.action !== b.action) return a.action < b.action ? -1 : 1;
  return a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
}

/**
 * Evaluates every observed call (in any order: the denied ones are reported sorted by action, then resource) and
 * looks for Allow grants no call used.
 */
export function checkPolicy(policy: PolicyDocument, calls: Iterable<ObservedCall>, iam: IamLevels): PolicyCheck {
  const check: PolicyCheck = {
    calls: 0,
    allowed: 0,
    conditional: 0,
    denied: [],
    unused: [],
    notAnalysed: [],
  };
  const evaluator = new PolicyEvaluator(policy);
  const seen = new Set<string>();
  for (const call of calls) {
    check.calls++;
    seen.add(call.action);
    const evaluation = evaluator.evaluate(call);
    if (evaluation.decision === "allowed") {
      check.allowed++;
      if (evaluation.conditional) check.conditional++;
    } else check.denied.push({ ...call, decision: evaluation.decision });
  }
  check.denied.sort(byActionThenResource);
  const actions = [...seen];
  const used = (pattern: string) => actions.some((action) => wildcardMatch(pattern, action, true));
  policy.Statement.forEach((statement, i) => {
    if (statement.Effect !== "Allow") return;
    if ("NotAction" in statement) {
      check.notAnalysed.push(i + 1);
      return;
    }
    for (const pattern of list(statement.Action)) {
      if (used(pattern)) continue;
      const granted = grantedActions(pattern, iam);
      const codes = new Set(granted.flatMap((a) => [...(iam.levelOf(a) ?? "")]));
      check.unused.push({
        action: pattern,
        statement: i + 1,
        levels: Object.keys(LEVELS).filter((c) => codes.has(c)).map((c) => LEVELS[c]!),
        grants: granted.length,
      });
    }
  });
  return check;
}
