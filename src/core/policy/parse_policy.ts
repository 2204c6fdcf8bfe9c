/** Reads an IAM policy document from JSON text, leniently where IAM is. */
import { jsonErrorOffset } from "../util/json_error_offset.ts";
import { POLICY_VERSION, type PolicyDocument, type Statement } from "./policy.ts";
import { isObject } from "../util/data_table.ts";
import { nestsDeeperThan } from "../util/json_depth.ts";

/** Levels of nesting a policy may have: a real one has 5 or 6 (Statement, statement, Condition, operator, key, values). */
const MAX_DEPTH = 64;

/** Why a policy over the byte limit (`MAX_POLICY_BYTES`, 64 MiB) is not read. */
export function policyTooLarge(): string {
  return "more than 64 MiB: an IAM policy has at most 10,240 characters";
}

/** Result of {@link parsePolicy}. */
export type ParsedPolicy = { ok: true; policy: PolicyDocument } | { ok: false; issue: string };

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line} column ${offset - before.lastIndexOf("\n")}`;
}

/** What a JSON value is, in words. */
function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * What IAM would refuse in a statement's actions, resources and conditions (a list of lists, an object as an action,
 * a condition value that is an object): rendering and checking would turn them into "[object Object]".
 */
function statementProblem(s: Record<string, unknown>): string | undefined {
  for (const key of ["Action", "NotAction", "Resource", "NotResource"]) {
    const value = s[key];
    if (value === undefined || typeof value === "string") continue;
    const items: unknown[] = Array.isArray(value) ? value : [value];
    const bad = items.findIndex((v) => typeof v !== "string");
    if (bad >= 0) return `"${key}" must be a string or a list of strings (it holds ${kind(items[bad])})`;
  }
  if (s.Condition === undefined) return undefined;
  if (!isObject(s.Condition)) return `"Condition" is not an object`;
  for (const [operator, byKey] of Object.entries(s.Condition)) {
    if (!isObject(byKey)) return `Condition ${JSON.stringify(operator)} is not an object`;
    for (const [key, values] of Object.entries(byKey)) {
      const items: unknown[] = Array.isArray(values) ? values : [values];
      const bad = items.findIndex((v) => !["string", "number", "boolean"].includes(typeof v));
      if (bad >= 0) {
        return `Condition ${JSON.stringify(operator)} ${JSON.stringify(key)} must hold strings, numbers or booleans ` +
          `(it holds ${kind(items[bad])})`;
      }
    }
  }
  return undefined;
}

/**
 * Parses a policy: `Statement` may be one object or a list; `Action` and `Resource`
 * may be strings; a missing `Version` becomes 2012-10-17. Other keys are kept. A byte
 * order mark before the JSON (a file saved by Notepad or PowerShell) is dropped. A value nested more than 64
 * levels deep is refused.
 */
export function parsePolicy(input: string): ParsedPolicy {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  if (text.trim() === "") return { ok: false, issue: "no input" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const at = jsonErrorOffset(text);
    const found = at >= text.length ? "end of input" : `'${text[at]}'`;
    return { ok: false, issue: `invalid JSON: unexpected ${found} at ${position(text, at)}` };
  }
  if (!isObject(value)) return { ok: false, issue: 'expected a JSON object with a "Statement" key' };
  // Rendering and checking recurse: a value nested 100,000 levels deep would overflow the stack.
  if (nestsDeeperThan(value, MAX_DEPTH)) {
    return { ok: false, issue: `nested more than ${MAX_DEPTH} levels deep (an IAM policy has a handful)` };
  }
  const raw = value.Statement;
  if (raw === undefined) return { ok: false, issue: 'no "Statement" key' };
  const statements = Array.isArray(raw) ? raw : [raw];
  for (const [i, s] of statements.entries()) {
    if (!isObject(s)) return { ok: false, issue: `statement ${i + 1} is not an object` };
    if (typeof s.Effect !== "string") return { ok: false, issue: `statement ${i + 1} has no "Effect"` };
    const problem = statementProblem(s);
    if (problem) return { ok: false, issue: `statement ${i + 1}: ${problem}` };
  }
  return {
    ok: true,
    policy: {
      ...value,
      Version: typeof value.Version === "string" ? value.Version : POLICY_VERSION,
      Statement: statements as Statement[],
    },
  };
}
