/**
 * Assembles statements into a policy the way trailscraper does, incrementally:
 * one statement per record, merge those with identical Resource lists, then those
 * with identical Action lists, then sort. Memory grows with distinct statements,
 * not with records.
 */
import { compareCodePoints, sortCodePoints } from "../util/compare_code_points.ts";
import { listKey } from "../util/list_key.ts";
import { POLICY_VERSION, type PolicyDocument, type Statement } from "./policy.ts";

/** Statements with one Action list (the second merge, at build time): unions as sets. */
class ActionGroup {
  count = 1;
  readonly resourceSet: Set<string>;
  constructor(readonly actions: readonly string[], readonly resources: string[]) {
    this.resourceSet = new Set(resources);
  }

  add(resources: readonly string[]): void {
    this.count++;
    for (const r of resources) this.resourceSet.add(r);
  }

  mergedResources(): string[] {
    return this.count === 1 ? this.resources : sortCodePoints([...this.resourceSet]);
  }
}

/** One group as plain data (to move between threads): its resources, actions and member count. */
export type BuilderGroup = [resources: string[], actions: readonly string[], count: number];

/** Collects record grants and builds the merged, sorted policy. */
export class PolicyBuilder {
  /**
   * The statement groups (statements with one Resource list), as columns rather than an object each: a policy of
   * precise ARNs has hundreds of thousands of groups, and an object and a one-element array per group was ~110 of
   * the ~140 bytes each group cost. Index by the group's resources (joined).
   */
  readonly #index = new Map<string, number>();
  /** A group's resources: the string itself when there is one (most groups), else the list. */
  readonly #resources: (string | string[])[] = [];
  /** A group's first member's actions, as they came (interned: see {@link #lists}). */
  readonly #actions: (readonly string[])[] = [];
  /** How many statements each group merged. */
  readonly #counts: number[] = [];
  /**
   * The union of all members' actions, for the few groups where a repeat brought a new action: a set, since one
   * group (`*` in the default mode) can gather every action of the input, and each record is checked against it.
   */
  readonly #unions = new Map<number, Set<string>>();
  /**
   * One array per distinct action list, however many groups start with it (most groups are one action on one
   * resource: an array each was ~20 bytes of every statement group). Shared: never changed, copied where handed out.
   */
  readonly #lists = new Map<string, readonly string[]>();

  #interned(actions: readonly string[]): readonly string[] {
    const key = listKey(actions);
    let list = this.#lists.get(key);
    if (!list) this.#lists.set(key, list = Object.freeze([...actions]));
    return list;
  }

  /** Adds statements: `actions` on `resources` (sorted), `count` times. Returns the group they joined. */
  add(actions: readonly string[], resources: readonly string[], count = 1): number {
    const next = this.#counts.length;
    const i = this.#index.getOrInsert(listKey(resources), next);
    if (i === next) {
      this.#resources.push(resources.length === 1 ? resources[0]! : [...resources]);
      this.#actions.push(this.#interned(actions));
      this.#counts.push(count);
      return i;
    }
    this.#counts[i]! += count;
    // Most repeats bring no new action: the union is made only when one does.
    const first = this.#actions[i]!;
    for (const a of actions) {
      if (first.includes(a)) continue;
      let union = this.#unions.get(i);
      if (!union) this.#unions.set(i, union = new Set(first));
      union.add(a);
    }
    return i;
  }

  /** Adds once more a statement that joined group `i` (what {@link add} returned for it). */
  repeat(i: number): void {
    this.#counts[i]!++;
  }

  /** trailscraper's `Statement.merge` of group `i`: sorted, deduplicated; a lone member stays as it was. */
  #merged(i: number): { actions: readonly string[]; resources: string[] } {
    const single = this.#counts[i] === 1;
    const stored = this.#resources[i]!;
    const list = typeof stored === "string" ? [stored] : [...stored]; // the caller's to change
    const union = this.#unions.get(i);
    const actions = union ? [...union] : this.#actions[i]!;
    return {
      actions: single ? actions : sortCodePoints([...new Set(actions)]),
      resources: single ? list : sortCodePoints([...new Set(list)]),
    };
  }

  /** The groups so far as plain data; {@link addGroups} of them into another builder gives the same policy. */
  groups(): BuilderGroup[] {
    // The resources as they came, not merged: they are the group's key, and a list naming one ARN twice is another
    // group than the ARN alone (merged, a worker's part would join that group and the policy would depend on the split).
    return this.#counts.map((count, i) => {
      const stored = this.#resources[i]!;
      return [typeof stored === "string" ? [stored] : [...stored], this.#merged(i).actions, count];
    });
  }

  /** Adds groups another builder collected (order does not matter). */
  addGroups(groups: readonly BuilderGroup[]): void {
    for (const [resources, actions, count] of groups) this.add(actions, resources, count);
  }

  /** The policy: statements merged by Resource, then by Action, sorted by Effect then actions. */
  build(): PolicyDocument {
    const byActions = new Map<string, ActionGroup>();
    for (let i = 0; i < this.#counts.length; i++) {
      const { actions, resources } = this.#merged(i);
      const key = listKey(actions);
      const existing = byActions.get(key);
      if (existing) existing.add(resources);
      else byActions.set(key, new ActionGroup(actions, resources));
    }
    const statements: Statement[] = [...byActions.values()].map((group) => ({
      Action: group.count === 1 ? [...group.actions] : sortCodePoints([...new Set(group.actions)]),
      Effect: "Allow",
      Resource: group.mergedResources(),
    }));
    const key = (s: Statement) => (s.Action as string[]).join("-");
    statements.sort((a, b) => compareCodePoints(key(a), key(b)));
    return { Version: POLICY_VERSION, Statement: statements };
  }
}
