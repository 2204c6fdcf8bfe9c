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

const patterns = new Map<string, RegExp>();

/** True when `value` matches the IAM wildcard `pattern`. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const key = (ignoreCase ? "i:" : "s:") + pattern;
  let re = patterns.get(key);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
    re = new RegExp(`^${body}$`, ignoreCase ? "is" : "s");
    patterns.set(key, re);
  }
  return re.test(value);
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);

const WILDCARD = /[*?]/;
/** Wildcard patterns per combined regex (V8 refuses a regex past a size limit). */
const PATTERNS_PER_REGEX = 256;

/** A list of patterns compiled once: exact values in a set, wildcards in a few combined regexes. */
class PatternSet {
  readonly #exact = new Set<string>();
  readonly #wildcards: RegExp[] = [];
  constructor(patterns: string[], private readonly ignoreCase: boolean) {
    const wild: string[] = [];
    for (const p of patterns) {
      if (WILDCARD.test(p)) wild.push(p);
      else this.#exact.add(ignoreCase ? p.toLowerCase() : p);
    }
    for (let i = 0; i < wild.length; i += PATTERNS_PER_REGEX) {
      const bodies = wild.slice(i, i + PATTERNS_PER_REGEX).map((p) =>
        p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")
      );
      this.#wildcards.push(new RegExp(`^(?:${bodies.join("|")})$`, ignoreCase ? "is" : "s"));
    }
  }
  has(value: string): boolean {
    return this.#exact.has(this.ignoreCase ? value.toLowerCase() : value) || this.#wildcards.some((r) => r.test(value));
  }
}

/** A statement compiled for many requests: costs O(1) per exact action or resource, not one test per listed one. */
class CompiledStatement {
  readonly #actions: PatternSet;
  readonly #notAction: boolean;
  readonly #resources: PatternSet | undefined;
  readonly #notResource: boolean;
  constructor(readonly statement: Statement) {
    this.#notAction = "NotAction" in statement;
    this.#actions = new PatternSet(list(this.#notAction ? statement.NotAction : statement.Action), true);
    this.#notResource = "NotResource" in statement;
    const resources = this.#notResource ? statement.NotResource : statement.Resource;
    this.#resources = this.#notResource || "Resource" in statement ? new PatternSet(list(resources), false) : undefined;
  }
  applies(request: PolicyRequest): boolean {
    if (this.#actions.has(request.action) === this.#notAction) return false;
    return this.#resources === undefined || this.#resources.has(request.resource) !== this.#notResource;
  }
}

/** True when the statement's action and resource elements cover the request. */
export function statementApplies(statement: Statement, request: PolicyRequest): boolean {
  return new CompiledStatement(statement).applies(request);
}

/** A policy compiled once for many requests (the policy must not change afterwards). */
export class PolicyEvaluator {
  readonly #statements: CompiledStatement[];
  constructor(policy: PolicyDocument) {
    this.#statements = policy.Statement.map((s) => new CompiledStatement(s));
  }

  /** Evaluates the policy for the request. */
  evaluate(request: PolicyRequest): Evaluation {
    let allowed: Statement | undefined;
    for (const compiled of this.#statements) {
      if (!compiled.applies(request)) continue;
      const statement = compiled.statement;
      if (statement.Effect === "Deny") return { decision: "explicitly denied", conditional: "Condition" in statement };
      if (statement.Effect === "Allow" && (!allowed || "Condition" in allowed)) allowed = statement;
    }
    return allowed
      ? { decision: "allowed", conditional: "Condition" in allowed }
      : { decision: "implicitly denied", conditional: false };
  }
}

/** Evaluates the policy for the request (compiles it each time: use a PolicyEvaluator for many requests). */
export function evaluate(policy: PolicyDocument, request: PolicyRequest): Evaluation {
  return new PolicyEvaluator(policy).evaluate(request);
}
