/**
 * Extends a policy with related actions, like trailscraper's `guess`: for every
 * action, the same resource with another verb (Describe, Create, Delete, Update,
 * Detach, Attach, List, Put, Get), when that action exists in the IAM data.
 */
import { findIamActionIgnoringCase, isIamAction } from "../iam/iam_catalog.ts";
import type { PolicyDocument, Statement } from "./policy.ts";

/** trailscraper's verbs, in its order. */
const GUESS_VERBS = ["Describe", "Create", "Delete", "Update", "Detach", "Attach", "List", "Put", "Get"];

/** Options of {@link guessPolicy}. */
export interface GuessOptions {
  /** Only guess actions with these verbs (already title-cased); all of {@link GUESS_VERBS} when empty. */
  only?: string[];
}

/** The resource an action name is about: `CreateListener` -> `Listener`, `ListPolicies` -> `Policy`. */
export function baseName(action: string, verbs: string[] = GUESS_VERBS): string {
  const verb = verbs.find((v) => action.startsWith(v) && action.length > v.length);
  return singular(verb ? action.slice(verb.length) : action);
}

function singular(noun: string): string {
  if (/[^aeiou]ies$/.test(noun)) return noun.slice(0, -3) + "y";
  if (/(?:ss|x|ch|sh)es$/.test(noun)) return noun.slice(0, -2);
  if (/[^s]s$/.test(noun)) return noun.slice(0, -1);
  return noun;
}

function plurals(noun: string): string[] {
  const forms = [noun + "s"];
  if (/[^aeiou]y$/.test(noun)) forms.push(noun.slice(0, -1) + "ies");
  if (/(?:s|x|ch|sh)$/.test(noun)) forms.push(noun + "es");
  return forms;
}

/** Python's `str.title()` for one word: `describe` -> `Describe`, `LIST` -> `List`. */
export function titleCase(word: string): string {
  return word.toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function actionsOf(statement: Statement): string[] {
  const a = statement.Action;
  return typeof a === "string" ? [a] : Array.isArray(a) ? a.filter((x): x is string => typeof x === "string") : [];
}

/**
 * Guesses for one action, singular forms for every verb first, then plural forms (trailscraper's order). IAM reads
 * actions in any case: `ec2:describevolumes` is guessed from as `ec2:DescribeVolumes`.
 */
function guessesFor(action: string, verbs: string[]): string[] {
  const colon = action.indexOf(":");
  if (colon <= 0 || action.includes("*") || action.includes("?")) return [];
  const prefix = action.slice(0, colon).toLowerCase();
  const written = action.slice(colon + 1);
  const base = baseName(findIamActionIgnoringCase(prefix, written) ?? written);
  if (base === "") return [];
  const names = [...verbs.map((v) => v + base), ...plurals(base).flatMap((p) => verbs.map((v) => v + p))];
  return names.filter((n) => isIamAction(prefix, n)).map((n) => `${prefix}:${n}`);
}

/**
 * Each statement is followed by a statement of its guesses (same Effect, Resource
 * `*`). A guess is never an action the policy already grants (in any case), nor repeated.
 * Statements keep every key they had; a missing Version becomes 2012-10-17.
 */
export function guessPolicy(policy: PolicyDocument, options: GuessOptions = {}): PolicyDocument {
  const verbs = options.only && options.only.length > 0 ? options.only : GUESS_VERBS;
  const seen = new Set(policy.Statement.flatMap(actionsOf).map((a) => a.toLowerCase()));
  const statements: Statement[] = [];
  for (const statement of policy.Statement) {
    statements.push(statement);
    if (statement.Action === undefined) continue; // NotAction statements get no guesses
    const guesses: string[] = [];
    for (const action of actionsOf(statement)) {
      for (const guess of guessesFor(action, verbs)) {
        if (seen.has(guess.toLowerCase())) continue;
        seen.add(guess.toLowerCase());
        guesses.push(guess);
      }
    }
    if (guesses.length > 0) statements.push({ Action: guesses, Effect: statement.Effect, Resource: ["*"] });
  }
  return { ...policy, Statement: statements };
}
