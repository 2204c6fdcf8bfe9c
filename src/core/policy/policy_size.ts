/** IAM's size limit of a managed policy, and splitting a policy to fit it. */
import type { PolicyDocument, Statement } from "./policy.ts";

/** A managed policy holds at most this many characters, white space not counted. */
export const MANAGED_POLICY_LIMIT = 6144;

/** The size IAM counts: the policy's characters without white space (outside strings there is none in compact JSON). */
export function policySize(policy: PolicyDocument): number {
  return jsonLength(policy);
}

/**
 * `JSON.stringify(value).length` without the text: a policy of 470,000 resources is 40 MB of it, at the run's
 * peak of memory. Strings are measured one by one (their escapes as JSON.stringify writes them).
 */
function jsonLength(value: unknown): number {
  if (typeof value === "string") return JSON.stringify(value).length;
  if (Array.isArray(value)) {
    let length = 2 + Math.max(0, value.length - 1);
    for (const item of value) length += item === undefined || typeof item === "function" ? 4 : jsonLength(item);
    return length;
  }
  if (typeof value === "object" && value !== null) {
    let length = 2;
    let members = 0;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === "function") continue;
      length += JSON.stringify(key).length + 1 + jsonLength(item);
      members++;
    }
    return length + Math.max(0, members - 1);
  }
  return JSON.stringify(value)?.length ?? 0;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);

/** A statement split into parts whose resources fit `max` each (actions stay together). */
function splitStatement(statement: Statement, max: number, version: string): Statement[] {
  const resources = list(statement.Resource);
  // The size of a policy of the statement with `current` as its resources, kept as they are added (measuring the
  // whole statement again for each resource took time that grew with the square of their number).
  const empty = policySize({ Version: version, Statement: [{ ...statement, Resource: [] }] });
  const parts: Statement[] = [];
  let current: string[] = [];
  let size = empty;
  for (const resource of resources) {
    const added = jsonLength(resource) + (current.length > 0 ? 1 : 0); // and a comma
    if (current.length > 0 && size + added > max) {
      parts.push({ ...statement, Resource: current });
      current = [resource];
      size = empty + jsonLength(resource);
    } else {
      current.push(resource);
      size += added;
    }
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
