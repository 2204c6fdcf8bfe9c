/**
 * What IAM would refuse in an identity policy that {@link parsePolicy} lets through (it already refuses an action or
 * resource that is not a string): `check` must not call allowed what could never be attached (a statement without
 * `Resource` would otherwise match every resource).
 */
import type { PolicyDocument } from "./policy.ts";

function elementProblem(s: Record<string, unknown>, name: "Action" | "Resource"): string | undefined {
  const not = `Not${name}`;
  if (name in s && not in s) return `has both "${name}" and "${not}"`;
  if (!(name in s) && !(not in s)) return `has neither "${name}" nor "${not}"`;
  return undefined;
}

/** Why IAM would refuse the policy as an identity policy (naming the statement), or undefined. */
export function identityPolicyProblem(policy: PolicyDocument): string | undefined {
  for (const [i, statement] of policy.Statement.entries()) {
    const s = statement as unknown as Record<string, unknown>;
    const problem = s.Effect !== "Allow" && s.Effect !== "Deny"
      ? `has "Effect" ${JSON.stringify(s.Effect)}: IAM takes "Allow" or "Deny"`
      : elementProblem(s, "Action") ?? elementProblem(s, "Resource");
    if (problem) return `statement ${i + 1} ${problem}`;
  }
  return undefined;
}
