/**
 * IAM's evaluation of one identity policy for one request: a statement applies when
 * its Action (or NotAction) and Resource (or NotResource) match; an explicit Deny wins
 * over any Allow; with no Allow the request is implicitly denied. Actions match
 * case-insensitively, resources case-sensitively; `*` matches any run of characters
 * (slashes and colons included) and `?` any one. Conditions are not evaluated: a
 * statement with a Condition is taken to apply, and the result says so. Policy
 * variables (`${aws:username}`) are matched as written.
 */
import { foldCaseText, globMatch } from "../util/glob_match.ts";
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

/** True when `value` matches the IAM wildcard `pattern` (see {@link globMatch}). */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  return globMatch(pattern, value, { ignoreCase });
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);

const WILDCARD = /[*?]/;

/**
 * Wildcard patterns with one literal prefix, grouped again by their literal suffix (the text after the last `*` or
 * `?`): a value can only match a pattern that ends as the value does.
 */
class SuffixGroups {
  readonly #bySuffix = new Map<string, string[]>();
  #lengths: number[] = [];

  add(pattern: string): void {
    const last = Math.max(pattern.lastIndexOf("*"), pattern.lastIndexOf("?"));
    const suffix = pattern.slice(last + 1);
    const group = this.#bySuffix.get(suffix);
    if (group) group.push(pattern);
    else {
      this.#bySuffix.set(suffix, [pattern]);
      if (!this.#lengths.includes(suffix.length)) {
        this.#lengths = [...this.#lengths, suffix.length].sort((x, y) => x - y);
      }
    }
  }

  /** True when a pattern with the prefix (`value` starts with it) matches all of `value`. */
  match(value: string, prefixLength: number): boolean {
    for (const length of this.#lengths) {
      if (prefixLength + length > value.length) break;
      const group = this.#bySuffix.get(value.slice(value.length - length));
      if (group?.some((p) => globMatch(p, value))) return true;
    }
    return false;
  }
}

/**
 * A list of patterns compiled once: exact values in a set, wildcards grouped by their literal prefix (the text before
 * the first `*` or `?`) and then by their literal suffix, so a value is matched only against the patterns that begin
 * and end as it does, each by {@link globMatch} (no regular expression is built from a policy: a pattern like
 * `*?*?*?x` must not backtrack). Five thousand role patterns (a `*` path, then `/role-N`) cost a few lookups per value, not 5,000 matches.
 */
class PatternSet {
  readonly #exact = new Set<string>();
  readonly #byPrefix = new Map<string, SuffixGroups>();
  readonly #prefixLengths: number[];
  constructor(patterns: string[], private readonly ignoreCase: boolean) {
    const lengths = new Set<number>();
    for (const raw of patterns) {
      const p = ignoreCase ? foldCaseText(raw) : raw; // as globMatch folds: toLowerCase() folds K (Kelvin) to k
      const first = p.search(WILDCARD);
      if (first < 0) {
        this.#exact.add(p);
        continue;
      }
      const prefix = p.slice(0, first);
      let group = this.#byPrefix.get(prefix);
      if (!group) this.#byPrefix.set(prefix, group = new SuffixGroups());
      group.add(p);
      lengths.add(first);
    }
    this.#prefixLengths = [...lengths].sort((x, y) => x - y);
  }
  has(raw: string): boolean {
    return this.hasFolded(this.ignoreCase ? foldCaseText(raw) : raw);
  }
  /** {@link has} of a value already folded as the patterns are (see {@link foldCaseText}). */
  hasFolded(value: string): boolean {
    if (this.#exact.has(value)) return true;
    for (const length of this.#prefixLengths) {
      if (length > value.length) break;
      if (this.#byPrefix.get(value.slice(0, length))?.match(value, length)) return true;
    }
    return false;
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
  /** Whether the statement applies; `action` folded as {@link foldCaseText} folds. */
  applies(action: string, request: PolicyRequest): boolean {
    if (this.#actions.hasFolded(action) === this.#notAction) return false;
    return this.#resources === undefined || this.#resources.has(request.resource) !== this.#notResource;
  }
}

/** A policy compiled once for many requests (the policy must not change afterwards). */
export class PolicyEvaluator {
  readonly #statements: CompiledStatement[];
  /** The last action folded: a check's calls come sorted by action. */
  #last = { action: "", folded: "" };
  constructor(policy: PolicyDocument) {
    this.#statements = policy.Statement.map((s) => new CompiledStatement(s));
  }

  #folded(action: string): string {
    if (action !== this.#last.action) this.#last = { action, folded: foldCaseText(action) };
    return this.#last.folded;
  }

  /** Evaluates the policy for the request. */
  evaluate(request: PolicyRequest): Evaluation {
    let allowed: Statement | undefined;
    const action = this.#folded(request.action);
    for (const compiled of this.#statements) {
      if (!compiled.applies(action, request)) continue;
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
