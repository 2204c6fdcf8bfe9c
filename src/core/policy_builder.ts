/**
 * Assembles statements into a policy the way trailscraper does, incrementally:
 * one statement per record, merge those with identical Resource lists, then those
 * with identical Action lists, then sort. Memory grows with distinct statements,
 * not with records.
 */
import { compareCodePoints } from "./compare_code_points.ts";
import { POLICY_VERSION, type PolicyDocument, type Statement } from "./policy.ts";

interface Group {
  actions: string[];
  resources: string[];
}

const SEP = "\u0000";

function sortedUnion(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort(compareCodePoints);
}

/** Merges each group's members like trailscraper's `Statement.merge` (a lone member stays as it was). */
function mergeInto(groups: Map<string, Group>, key: string, actions: string[], resources: string[]): void {
  const group = groups.get(key);
  if (!group) {
    groups.set(key, { actions, resources });
    return;
  }
  group.actions = sortedUnion(group.actions, actions);
  group.resources = sortedUnion(group.resources, resources);
}

/** Collects record grants and builds the merged, sorted policy. */
export class PolicyBuilder {
  #byResources = new Map<string, Group>();

  /** Adds one record's statement: its actions on its (sorted) resources. */
  add(actions: string[], resources: string[]): void {
    mergeInto(this.#byResources, resources.join(SEP), actions, resources);
  }

  /** The number of distinct Resource lists seen so far. */
  get size(): number {
    return this.#byResources.size;
  }

  /** The policy: statements merged by Resource, then by Action, sorted by Effect then actions. */
  build(): PolicyDocument {
    const byActions = new Map<string, Group>();
    for (const g of this.#byResources.values()) mergeInto(byActions, g.actions.join(SEP), g.actions, g.resources);
    const statements: Statement[] = [...byActions.values()].map((g) => ({
      Action: g.actions,
      Effect: "Allow",
      Resource: g.resources,
    }));
    const key = (s: Statement) => (s.Action as string[]).join("-");
    statements.sort((a, b) => compareCodePoints(key(a), key(b)));
    return { Version: POLICY_VERSION, Statement: statements };
  }
}
