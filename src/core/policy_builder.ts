/**
 * Assembles statements into a policy the way trailscraper does, incrementally:
 * one statement per record, merge those with identical Resource lists, then those
 * with identical Action lists, then sort. Memory grows with distinct statements,
 * not with records.
 */
import { compareCodePoints } from "./compare_code_points.ts";
import { POLICY_VERSION, type PolicyDocument, type Statement } from "./policy.ts";

/** The members of one merge group: the first statement as it came, and the union of all. */
class Group {
  count = 1;
  readonly actionSet: Set<string>;
  readonly resourceSet: Set<string>;
  constructor(readonly actions: string[], readonly resources: string[]) {
    this.actionSet = new Set(actions);
    this.resourceSet = new Set(resources);
  }

  add(actions: string[], resources: string[]): void {
    this.count++;
    for (const a of actions) this.actionSet.add(a);
    for (const r of resources) this.resourceSet.add(r);
  }

  /** trailscraper's `Statement.merge`: sorted, deduplicated unions; a lone member stays as it was. */
  merged(): { actions: string[]; resources: string[] } {
    if (this.count === 1) return { actions: this.actions, resources: this.resources };
    return {
      actions: [...this.actionSet].sort(compareCodePoints),
      resources: [...this.resourceSet].sort(compareCodePoints),
    };
  }
}

const SEP = "\u0000";

function mergeInto(groups: Map<string, Group>, key: string, actions: string[], resources: string[]): void {
  const group = groups.get(key);
  if (group) group.add(actions, resources);
  else groups.set(key, new Group(actions, resources));
}

/** Collects record grants and builds the merged, sorted policy. */
export class PolicyBuilder {
  #byResources = new Map<string, Group>();

  /** Adds one record's statement: its actions on its (sorted) resources. */
  add(actions: string[], resources: string[]): void {
    mergeInto(this.#byResources, resources.join(SEP), actions, resources);
  }

  /** The policy: statements merged by Resource, then by Action, sorted by Effect then actions. */
  build(): PolicyDocument {
    const byActions = new Map<string, Group>();
    for (const group of this.#byResources.values()) {
      const { actions, resources } = group.merged();
      mergeInto(byActions, actions.join(SEP), actions, resources);
    }
    const statements: Statement[] = [...byActions.values()].map((group) => {
      const { actions, resources } = group.merged();
      return { Action: actions, Effect: "Allow", Resource: resources };
    });
    const key = (s: Statement) => (s.Action as string[]).join("-");
    statements.sort((a, b) => compareCodePoints(key(a), key(b)));
    return { Version: POLICY_VERSION, Statement: statements };
  }
}
