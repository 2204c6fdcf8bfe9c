/** The (action, resource) pairs records used, with how often: what a policy check evaluates. */

/** One observed call. */
export interface ObservedCall {
  action: string;
  resource: string;
  count: number;
}

/**
 * Collects calls; memory grows with distinct pairs, not with records. Counted per action, then per resource: no
 * `action\nresource` key string is built per pair (470,000 pairs made ~50 MB of them at the peak of `check`).
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

  /** The counts as plain data (to move between threads): `action\nresource` and count. */
  entries(): [string, number][] {
    const entries: [string, number][] = [];
    for (const [action, counts] of this.#byAction) {
      for (const [resource, count] of counts) entries.push([`${action}\n${resource}`, count]);
    }
    return entries;
  }

  /** Adds counts another collector gathered. */
  addEntries(entries: readonly [string, number][]): void {
    for (const [key, count] of entries) {
      const cut = key.indexOf("\n");
      this.add([key.slice(0, cut)], [key.slice(cut + 1)], count);
    }
  }

  /** The calls, sorted by action, then resource (UTF-16 code unit order, as before). */
  calls(): ObservedCall[] {
    const calls: ObservedCall[] = [];
    for (const action of [...this.#byAction.keys()].sort()) {
      const counts = this.#byAction.get(action)!;
      for (const resource of [...counts.keys()].sort()) {
        calls.push({ action, resource, count: counts.get(resource)! });
      }
    }
    return calls;
  }
}
