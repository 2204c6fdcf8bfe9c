/**
 * `generate --compact`: a statement's actions of one service merged into wildcards
 * (`s3:Get*`), but only where every action the wildcard matches in the IAM data has
 * an access level the statement already grants for that service. `s3:Get*` may thus
 * add unused Read actions, never a Write or Permissions management one.
 */
import { compareCodePoints } from "../util/compare_code_points.ts";
import type { PolicyDocument, Statement } from "./policy.ts";
import type { IamLevels } from "./policy_check.ts";

/** How much `--compact` saved. */
export interface CompactResult {
  policy: PolicyDocument;
  /** Action entries before and after. */
  before: number;
  after: number;
}

const MIN_PREFIX = 3;

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

/** The leading verb of an action name: `Get` of `GetObject`. */
const verbOf = (name: string) => /^[A-Z][a-z]+/.exec(name)?.[0] ?? name;

/** The names of one service's actions, compacted. */
function compactService(prefix: string, names: string[], iam: IamLevels): string[] {
  const levels = (name: string) => iam.levelOf(`${prefix}:${name}`);
  const granted = new Set<string>();
  for (const name of names) {
    const level = levels(name);
    if (level === undefined) return names; // an action the IAM data does not know: leave the service alone
    for (const code of level) granted.add(code);
  }
  const all = iam.actionsOf(prefix);
  const sorted = [...names].sort(compareCodePoints);
  const candidates = new Set<string>();
  for (const [i, name] of sorted.entries()) {
    candidates.add(verbOf(name));
    const next = sorted[i + 1];
    if (next !== undefined) candidates.add(commonPrefix(name, next));
  }
  const safe = [...candidates].filter((p) => p.length >= MIN_PREFIX).filter((p) =>
    all.filter((a) => a.startsWith(p)).every((a) => [...(levels(a) ?? "?")].every((code) => granted.has(code)))
  );
  const left = new Set(names);
  const out: string[] = [];
  while (true) {
    let best: { prefix: string; covers: string[] } | undefined;
    for (const p of safe) {
      const covers = [...left].filter((n) => n.startsWith(p));
      if (covers.length < 2) continue;
      if (!best || covers.length > best.covers.length || (covers.length === best.covers.length && p > best.prefix)) {
        best = { prefix: p, covers };
      }
    }
    if (!best) break;
    out.push(`${best.prefix}*`);
    for (const n of best.covers) left.delete(n);
  }
  return [...out, ...left];
}

function compactActions(actions: string[], iam: IamLevels): string[] {
  const byService = new Map<string, string[]>();
  for (const action of actions) {
    const i = action.indexOf(":");
    const prefix = action.slice(0, i);
    const list = byService.get(prefix);
    if (list) list.push(action.slice(i + 1));
    else byService.set(prefix, [action.slice(i + 1)]);
  }
  const out: string[] = [];
  for (const [prefix, names] of byService) {
    if (names.some((n) => n.includes("*") || n.includes("?"))) out.push(...names.map((n) => `${prefix}:${n}`));
    else out.push(...compactService(prefix, names, iam).map((n) => `${prefix}:${n}`));
  }
  return out.sort(compareCodePoints);
}

/** The policy with each Allow statement's actions compacted; other statements as they are. */
export function compactPolicy(policy: PolicyDocument, iam: IamLevels): CompactResult {
  let before = 0;
  let after = 0;
  const statements = policy.Statement.map((s): Statement => {
    if (s.Effect !== "Allow" || !Array.isArray(s.Action)) return s;
    const actions = compactActions(s.Action, iam);
    before += s.Action.length;
    after += actions.length;
    return { ...s, Action: actions };
  });
  return { policy: { ...policy, Statement: statements }, before, after };
}
