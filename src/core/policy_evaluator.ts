/**
 * IAM's evaluation of one identity policy for one request: a statement applies when
 * its Action (or NotAction) and Resource (or NotResource) match; an explicit Deny wins
 * over any Allow; with no Allow the request is implicitly denied. Actions match
 * case-insensitively, resources case-sensitively; `*` matches any run of characters
 * (slashes and colons included) and `?` any one. Conditions are not evaluated: a
 * statement with a Condition is taken to apply, and the result says so. Policy
 * variables (`${aws:username}`) are matched as written.
 */
import type { PolicyDocument, Statement } from "./policy.ts";

/** A request: one action on one resource (`*` for calls without a resource). */
export interface PolicyRequest {
  action: string;
  resource: string;
}

/** The decision, and whether a statement it rests on has a Condition that was not evaluated. */
export interface Evaluation {
  decision: "allowed" | "explicitly denied" | "implicitly denied";
  conditional: boolean;
}

// Keyed by policy patterns (from input): emptied when full, so a long-running server (mcp) stays bounded.
const patterns = new Map<string, RegExp>();
const PATTERNS_MAX = 4096;

/** True when `value` matches the IAM wildcard `pattern`. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const key = (ignoreCase ? "i:" : "s:") + pattern;
  let re = patterns.get(key);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
    re = new RegExp(`^${body}$`, ignoreCase ? "is" : "s");
    if (patterns.size >= PATTERNS_MAX) patterns.clear();
    patterns.set(key, re);
  }
  return re.test(value);
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);

/** True when the statement's action and resource elements cover the request. */
export function statementApplies(statement: Statement, request: PolicyRequest): boolean {
  const actionMatch = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, request.action, true));
  const resourceMatch = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, request.resource, false));
  const action = "NotAction" in statement
    ? !actionMatch(list(statement.NotAction))
    : actionMatch(list(statement.Action));
  if (!action) return false;
  if ("NotResource" in statement) return !resourceMatch(list(statement.NotResource));
  return "Resource" in statement ? resourceMatch(list(statement.Resource)) : true;
}

/** Evaluates the policy for the request. */
export function evaluate(policy: PolicyDocument, request: PolicyRequest): Evaluation {
  let allowed: Statement | undefined;
  for (const statement of policy.Statement) {
    if (!statementApplies(statement, request)) continue;
    if (statement.Effect === "Deny") return { decision: "explicitly denied", conditional: "Condition" in statement };
    if (statement.Effect === "Allow" && (!allowed || "Condition" in allowed)) allowed = statement;
  }
  return allowed
    ? { decision: "allowed", conditional: "Condition" in allowed }
    : { decision: "implicitly denied", conditional: false };
}
