/**
 * Assembles statements into a policy the way trailscraper does, incrementally:
 * one statement per record, merge those with identical Resource lists, then those
 * with identical Action lists, then sort. Memory grows with distinct statements,
 * not with records.
 */
import { compareCodePoints, sortCodePoints } from "../util/compare_code_points.ts";
import { POLICY_VERSION, type PolicyDocument, type Statement } from "./policy.ts";

/**
 * Statements with one Resource list: the first member's actions as they came, the union
 * of all members' actions (an array: a handful at most), and how many members.
 */
class ResourceGroup {
  union: string[] | undefined;
  constructor(readonly actions: readonly string[], readonly resources: string[], public count: number) {}

  add(actions: readonly string[], count: number): void {
    this.count += count;
    // Most repeats bring no new action: the union is made only when one does (an array less per statement group).
    for (const a of actions) {
      if (!(this.union ?? this.actions).includes(a)) (this.union ??= [...this.actions]).push(a);
    }
  }

  /** trailscraper's `Statement.merge`: sorted, deduplicated resources; a lone member stays as it was. */
  mergedResources(): string[] {
    return this.count === 1 ? this.resources : sortCodePoints([...new Set(this.resources)]);
  }

  /** trailscraper's `Statement.merge`: sorted, deduplicated actions; a lone member stays as it was. */
  mergedActions(): readonly string[] {
    return this.count === 1 ? this.actions : sortCodePoints([...new Set(this.union ?? this.actions)]);
  }
}

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

const SEP = "\u0000";

/** Collects record grants and builds the merged, sorted policy. */
export class PolicyBuilder {
  readonly #byResources = new Map<string, ResourceGroup>();
  /**
   * One array per distinct action list, however many groups start with it (most groups are one action on one
   * resource: an array each was ~20 bytes of every statement group). Shared: never changed, copied where handed out.
   */
  readonly #lists = new Map<string, readonly string[]>();

  #interned(actions: readonly string[]): readonly string[] {
    const key = actions.length === 1 ? actions[0]! : actions.join(SEP);
    let list = this.#lists.get(key);
    if (!list) this.#lists.set(key, list = Object.freeze([...actions]));
    return list;
  }

  /** Adds statements: `actions` on `resources` (sorted), `count` times. */
  add(actions: readonly string[], resources: string[], count = 1): void {
    const key = resources.length === 1 ? resources[0]! : resources.join(SEP);
    const group = this.#byResources.get(key);
    if (group) group.add(actions, count);
    else this.#byResources.set(key, new ResourceGroup(this.#interned(actions), resources, count));
  }

  /** The groups so far as plain data; {@link addGroups} of them into another builder gives the same policy. */
  groups(): BuilderGroup[] {
    return [...this.#byResources.values()].map((g) => [g.resources, g.mergedActions(), g.count]);
  }

  /** Adds groups another builder collected (order does not matter). */
  addGroups(groups: readonly BuilderGroup[]): void {
    for (const [resources, actions, count] of groups) this.add(actions, resources, count);
  }

  /** The policy: statements merged by Resource, then by Action, sorted by Effect then actions. */
  build(): PolicyDocument {
    const byActions = new Map<string, ActionGroup>();
    for (const group of this.#byResources.values()) {
      const actions = group.mergedActions();
      const key = actions.join(SEP);
      const existing = byActions.get(key);
      const resources = group.mergedResources();
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
