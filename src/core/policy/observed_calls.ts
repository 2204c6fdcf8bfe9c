/** The (action, resource) pairs records used, with how often: what a policy check evaluates. */

/** One observed call. */
export interface ObservedCall {
  action: string;
  resource: string;
  count: number;
}

/** One collector's counts as plain data (to move between threads): action, resource, count. */
export type ObservedEntry = [action: string, resource: string, count: number];

/**
 * Collects calls; memory grows with distinct pairs, not with records. Counted per action, then per resource: no key
 * string is built per pair (470,000 pairs made ~50 MB of them at the peak of `check`), and nothing an action or a
 * resource holds (a line break, a NUL) can cut one from the other.
 */
export class ObservedCalls {
  readonly #byAction = new Map<string, Map<string, number>>();

  /** Every action on every resource of one record. */
  add(actions: readonly string[], resources: readonly string[], count = 1): void {
    for (const action of actions) {
      let counts = this.#byAction.get(action);
      if (!counts) this.#byAction.set(action, counts = new Map());
      for (const resource of resources) counts.set(resource, (counts.get(resource) ?? 0) + count);
    }
  }

  /** The counts as plain data (to move between threads). */
  entries(): ObservedEntry[] {
    const entries: ObservedEntry[] = [];
    for (const [action, counts] of this.#byAction) {
      for (const [resource, count] of counts) entries.push([action, resource, count]);
    }
    return entries;
  }

  /** Adds counts another collector gathered. */
  addEntries(entries: readonly ObservedEntry[]): void {
    for (const [action, resource, count] of entries) this.add([action], [resource], count);
  }

  /** The calls in no set order (what a check needs: it sorts what it reports). */
  *unsorted(): Generator<ObservedCall> {
    for (const [action, counts] of this.#byAction) {
      for (const [resource, count] of counts) yield { action, resource, count };
    }
  }

  /** The calls, sorted by action, then resource (UTF-16 code unit order, as before). */
  calls(): ObservedCall[] {
    const calls: ObservedCall[] = [];
    for (const action of [...this.#byAction.keys()].sort()) {
      const counts = this.#byAction.get(action)!;
      for (const resource of [...counts.keys()].sort()) calls.push({ action, resource, count: counts.get(resource)! });
    }
    return calls;
  }
}
