/**
 * What adding a record did to a collector (`generate`'s generator, `check`'s observed calls), kept by the number the
 * bulk reader gave the record (`core/records/slim_records.ts`), so that a repeat of it (a record reduced to the same
 * text) is counted by doing the same again, without parsing, resolving or looking it up by name.
 */
import { countInto } from "../util/counts.ts";
import { PagedInts } from "../util/paged_ints.ts";

/**
 * One record's effect: what it counted (a number the collector gives meaning to: see {@link CountedReasons} and
 * `ArnCoverage.add`), the statement groups it joined (`PolicyBuilder.repeat`), and the observed pairs it counted
 * (`ObservedCalls.repeat`).
 */
export interface RecordEffect {
  counted: number;
  groups: number[];
  slots?: number[] | undefined;
  /** Also counted as granted, although `counted` is a reason (it failed after it was granted). */
  granted?: boolean;
}

/** Where a number's observed pairs are: a list of pair numbers (`ObservedCalls`), and the range in it. */
export type PairRange = [pairs: PagedInts, start: number, end: number];

/**
 * The effects of numbered records, compactly: each number keeps 32-bit integers (what it counted, its group, where
 * its observed pairs start in one list), not objects: at a million records, an object and a list per record was
 * ~75 MB more for `check`.
 */
export class RecordEffects {
  readonly #counted = new PagedInts(0);
  /** By number: the one group joined, -1 for none, -2 for more (in #groups). */
  readonly #group = new PagedInts(-1);
  /** By number: where its observed pairs start in #pairs; they end where the next number's start. */
  readonly #pairStart = new PagedInts(-1);
  /** The observed pairs (their numbers in `ObservedCalls`) of all numbers, one after the other. */
  readonly #pairs = new PagedInts();
  /** Rare: the groups of records that joined more than one, and those also counted as granted (see RecordEffect). */
  readonly #groups = new Map<number, number[]>();
  readonly #granted = new Set<number>();
  /** One more than the highest number kept. */
  #size = 0;

  /** Keeps the effect of the record with this number (replacing one kept before numbering began again). */
  keep(id: number, effect: RecordEffect): void {
    if (id >= this.#size) this.#size = id + 1;
    this.#counted.set(id, effect.counted);
    const { groups, slots } = effect;
    if (groups.length > 0 || this.#group.get(id) !== -1) this.#group.set(id, groups.length > 1 ? -2 : groups[0] ?? -1);
    if (groups.length > 1) this.#groups.set(id, groups);
    else if (this.#groups.size > 0) this.#groups.delete(id);
    if (effect.granted) this.#granted.add(id);
    else if (this.#granted.size > 0) this.#granted.delete(id);
    if (slots === undefined) return;
    // Numbers are kept in order (from 0 again after numbering begins again): the next one starts where this ends.
    this.#pairStart.set(id, this.#pairs.length);
    for (const slot of slots) this.#pairs.push(slot);
    this.#pairStart.set(id + 1, this.#pairs.length);
  }

  /** What the record with this number counted. */
  counted(id: number): number {
    if (id >= this.#size) throw new Error(`no record has the number ${id}`);
    return this.#counted.get(id);
  }

  /** Whether it was also counted as granted (see {@link RecordEffect.granted}). */
  granted(id: number): boolean {
    return this.#granted.size > 0 && this.#granted.has(id);
  }

  /** Calls `repeat` with each group it joined. */
  eachGroup(id: number, repeat: (group: number) => void): void {
    const group = this.#group.get(id);
    if (group >= 0) repeat(group);
    else if (group === -2) { for (const g of this.#groups.get(id)!) repeat(g); }
  }

  /** Its observed pairs as `ObservedCalls.repeat` takes them, if it counted any. */
  pairs(id: number): PairRange | undefined {
    const start = this.#pairStart.get(id);
    if (start < 0) return undefined;
    return [this.#pairs, start, this.#pairStart.get(id + 1)];
  }
}

/**
 * Counts reasons a record was counted by (skipped or ignored, and why), and gives each place and reason a negative
 * number for {@link RecordEffect.counted} (-1 - its index), to count again with {@link recount}.
 */
export class CountedReasons {
  readonly #index = new Map<Record<string, number>, Map<string, number>>();
  readonly #reasons: [into: Record<string, number>, reason: string][] = [];

  /** Counts `reason` into `into`; returns its number. */
  count(into: Record<string, number>, reason: string): number {
    countInto(into, reason);
    let byReason = this.#index.get(into);
    if (!byReason) this.#index.set(into, byReason = new Map());
    let i = byReason.get(reason);
    if (i === undefined) byReason.set(reason, i = this.#reasons.push([into, reason]) - 1);
    return -1 - i;
  }

  /** Counts once more what the (negative) number `counted` counted. */
  recount(counted: number): void {
    const [into, reason] = this.#reasons[-1 - counted]!;
    countInto(into, reason);
  }
}
