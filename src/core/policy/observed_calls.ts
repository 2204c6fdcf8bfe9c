/** The (action, resource) pairs records used, with how often: what a policy check evaluates. */
import { PagedInts } from "../util/paged_ints.ts";

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
 * resource holds (a line break, a NUL) can cut one from the other. Each pair has a number (in order of first sight),
 * its count kept by that number: {@link repeat} counts pairs again by number, without looking them up by name.
 */
export class ObservedCalls {
  /** Action -> resource -> the pair's number. */
  readonly #byAction = new Map<string, Map<string, number>>();
  readonly #counts = new PagedInts();

  /** Every action on every resource of one record; with `pairs`, the number of each pair is added to it. */
  add(actions: readonly string[], resources: readonly string[], count = 1, pairs?: number[]): void {
    for (const action of actions) {
      let numbers = this.#byAction.get(action);
      if (!numbers) this.#byAction.set(action, numbers = new Map());
      for (const resource of resources) {
        let pair = numbers.get(resource);
        if (pair === undefined) numbers.set(resource, pair = this.#counts.length);
        this.#counts.add(pair, count);
        pairs?.push(pair);
      }
    }
  }

  /** Counts once more the pairs whose numbers {@link add} gave (those in `pairs` from `start` to `end`). */
  repeat(pairs: PagedInts, start: number, end: number): void {
    for (let i = start; i < end; i++) this.#counts.add(pairs.get(i), 1);
  }

  /** The counts as plain data (to move between threads). */
  entries(): ObservedEntry[] {
    const entries: ObservedEntry[] = [];
    for (const [action, numbers] of this.#byAction) {
      for (const [resource, pair] of numbers) entries.push([action, resource, this.#counts.get(pair)]);
    }
    return entries;
  }

  /** Adds counts another collector gathered. */
  addEntries(entries: readonly ObservedEntry[]): void {
    for (const [action, resource, count] of entries) this.add([action], [resource], count);
  }

  /** The calls in no set order (what a check needs: it sorts what it reports). */
  *unsorted(): Generator<ObservedCall> {
    for (const [action, numbers] of this.#byAction) {
      for (const [resource, pair] of numbers) yield { action, resource, count: this.#counts.get(pair) };
    }
  }

  /** The calls, sorted by action, then resource (UTF-16 code unit order, as before). */
  calls(): ObservedCall[] {
    const calls: ObservedCall[] = [];
    for (const action of [...this.#byAction.keys()].sort()) {
      const numbers = this.#byAction.get(action)!;
      for (const resource of [...numbers.keys()].sort()) {
        calls.push({ action, resource, count: this.#counts.get(numbers.get(resource)!) });
      }
    }
    return calls;
  }
}
