/** The (action, resource) pairs records used, with how often: what a policy check evaluates. */

/** One observed call. */
export interface ObservedCall {
  action: string;
  resource: string;
  count: number;
}

/**
 * Between the action and the resource of a key. No action holds it (a NUL in one is written NUL, 0x01), and it sorts
 * before anything an action may go on with: sorted as they are, the keys sort by action, then resource.
 */
const SEPARATOR = "\0\0";
const ESCAPED_NUL = "\0\x01";

const keyOf = (action: string, resource: string) =>
  `${action.includes("\0") ? action.replaceAll("\0", ESCAPED_NUL) : action}${SEPARATOR}${resource}`;

/** Collects calls; memory grows with distinct pairs, not with records. */
export class ObservedCalls {
  #counts = new Map<string, number>();

  /** Every action on every resource of one record. */
  add(actions: string[], resources: string[]): void {
    for (const action of actions) {
      for (const resource of resources) {
        const key = keyOf(action, resource);
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
    return [...this.#counts.keys()].sort().map((key) => {
      const cut = key.indexOf(SEPARATOR);
      const action = key.slice(0, cut);
      return {
        action: action.includes("\0") ? action.replaceAll(ESCAPED_NUL, "\0") : action,
        resource: key.slice(cut + SEPARATOR.length),
        count: this.#counts.get(key)!,
      };
    });
  }
}
