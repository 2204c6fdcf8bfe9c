/** The (action, resource) pairs records used, with how often: what a policy check evaluates. */

/** One observed call. */
export interface ObservedCall {
  action: string;
  resource: string;
  count: number;
}

/** Collects calls; memory grows with distinct pairs, not with records. */
export class ObservedCalls {
  #counts = new Map<string, number>();

  /** Every action on every resource of one record. */
  add(actions: string[], resources: string[]): void {
    for (const action of actions) {
      for (const resource of resources) {
        const key = `${action}\n${resource}`;
        this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
      }
    }
  }

  /** The counts as plain data (to move between threads). */
  entries(): [string, number][] {
    return [...this.#counts];
  }

  /** Adds counts another collector gathered. */
  addEntries(entries: readonly [string, number][]): void {
    for (const [key, count] of entries) this.#counts.set(key, (this.#counts.get(key) ?? 0) + count);
  }

  /** The calls, sorted by action then resource. */
  calls(): ObservedCall[] {
    // The keys are `action\nresource`: sorted as they are, they sort by action then resource.
    return [...this.#counts.keys()].sort().map((key) => {
      const cut = key.indexOf("\n");
      return { action: key.slice(0, cut), resource: key.slice(cut + 1), count: this.#counts.get(key)! };
    });
  }
}
