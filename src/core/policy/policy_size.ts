/** IAM's size limit of a managed policy, and splitting a policy to fit it. */
import type { PolicyDocument, Statement } from "./policy.ts";

/** A managed policy holds at most this many characters, white space not counted. */
export const MANAGED_POLICY_LIMIT = 6144;

/** The size IAM counts: the policy's characters without white space (outside strings there is none in compact JSON). */
export function policySize(policy: PolicyDocument): number {
  return JSON.stringify(policy).length;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);

/** A statement split into parts whose resources fit `max` each (actions stay together). */
function splitStatement(statement: Statement, max: number, version: string): Statement[] {
  const resources = list(statement.Resource);
  const parts: Statement[] = [];
  let current: string[] = [];
  for (const resource of resources) {
    const next = { ...statement, Resource: [...current, resource] };
    if (current.length > 0 && policySize({ Version: version, Statement: [next] }) > max) {
      parts.push({ ...statement, Resource: current });
      current = [resource];
    } else current.push(resource);
  }
  parts.push({ ...statement, Resource: current });
  return parts;
}

/**
 * Spreads the statements over as few policies as fit `max` characters each, in order;
 * a statement too big on its own is split by its resources. A statement whose actions
 * alone exceed `max` stays whole in a policy of its own (the caller warns).
 */
export function splitPolicy(policy: PolicyDocument, max: number): PolicyDocument[] {
  const policies: PolicyDocument[] = [];
  let current: Statement[] = [];
  const fits = (statements: Statement[]) => policySize({ ...policy, Statement: statements }) <= max;
  for (const whole of policy.Statement) {
    const pieces = fits([whole]) ? [whole] : splitStatement(whole, max, policy.Version);
    for (const piece of pieces) {
      if (current.length > 0 && !fits([...current, piece])) {
        policies.push({ ...policy, Statement: current });
        current = [];
      }
      current.push(piece);
    }
  }
  if (current.length > 0 || policies.length === 0) policies.push({ ...policy, Statement: current });
  return policies;
}
