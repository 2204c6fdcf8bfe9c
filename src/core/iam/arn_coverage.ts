/** How many records and actions got concrete ARNs under `generate --resources`, by service. */
import type { ActionResources, ArnOutcome } from "./resource_arns.ts";

/** One service's counts. */
export interface ServiceCoverage {
  service: string;
  records: number;
  /** Records whose every action got concrete ARNs. */
  concrete: number;
  /** Records with an action granted type-wide on a required type the record does not name (`subnet/*`). */
  partial: number;
  /** Records with an action IAM authorises only on `*` (and none without an ARN). */
  noResourceLevel: number;
  /** Records with an action that kept `*` because no ARN could be built. */
  noArn: number;
  /** Distinct actions, and those that got concrete ARNs in every record. */
  actions: number;
  concreteActions: number;
}

class Counts {
  records = 0;
  concrete = 0;
  partial = 0;
  noResourceLevel = 0;
  noArn = 0;
  /** Action -> got concrete ARNs every time so far. */
  readonly actions = new Map<string, boolean>();
  /** By outcome (its rank): the number `ArnCoverage.add` returns for a record counted so. */
  readonly handles: number[] = [];
}

/** One service's counts as plain data: service, records, concrete, noResourceLevel, noArn, [action, concrete], partial. */
export type CoverageEntry = [string, number, number, number, number, [string, boolean][], number];

const RANK: Record<ArnOutcome, number> = { "concrete": 0, "partial": 1, "no-resource-level": 2, "no-arn": 3 };

function countOutcome(counts: Counts, worst: ArnOutcome): void {
  if (worst === "concrete") counts.concrete++;
  else if (worst === "partial") counts.partial++;
  else if (worst === "no-resource-level") counts.noResourceLevel++;
  else counts.noArn++;
}

/** Collects outcomes record by record; memory grows with distinct actions only. */
export class ArnCoverage {
  readonly #byService = new Map<string, Counts>();
  /** What {@link add} counted, by the number it returned (less one). */
  readonly #counted: [Counts, ArnOutcome][] = [];

  /**
   * Counts one record's resolved actions under the service of its first action. Returns what it counted (a number
   * for its service and outcome, 0 for nothing), for {@link repeat}.
   */
  add(resolved: readonly ActionResources[]): number {
    const first = resolved[0];
    if (!first) return 0;
    const service = first.action.slice(0, first.action.indexOf(":"));
    let counts = this.#byService.get(service);
    if (!counts) this.#byService.set(service, counts = new Counts());
    counts.records++;
    let worst: ArnOutcome = "concrete";
    for (const { action, outcome } of resolved) {
      if (RANK[outcome] > RANK[worst]) worst = outcome;
      counts.actions.set(action, (counts.actions.get(action) ?? true) && outcome === "concrete");
    }
    countOutcome(counts, worst);
    return (counts.handles[RANK[worst]] ??= this.#counted.push([counts, worst]));
  }

  /** Counts a record once more: one whose {@link add} returned `counted` (its actions' outcomes are as they were). */
  repeat(counted: number): void {
    if (counted === 0) return;
    const [counts, worst] = this.#counted[counted - 1]!;
    counts.records++;
    countOutcome(counts, worst);
  }

  /** The counts as plain data (to move between threads). */
  entries(): CoverageEntry[] {
    return [...this.#byService].map((
      [service, c],
    ) => [service, c.records, c.concrete, c.noResourceLevel, c.noArn, [...c.actions], c.partial]);
  }

  /** Adds counts another collector gathered. */
  addEntries(entries: readonly CoverageEntry[]): void {
    for (const [service, records, concrete, noResourceLevel, noArn, actions, partial] of entries) {
      let counts = this.#byService.get(service);
      if (!counts) this.#byService.set(service, counts = new Counts());
      counts.records += records;
      counts.concrete += concrete;
      counts.partial += partial;
      counts.noResourceLevel += noResourceLevel;
      counts.noArn += noArn;
      for (const [action, concrete] of actions) {
        counts.actions.set(action, (counts.actions.get(action) ?? true) && concrete);
      }
    }
  }

  /** Per service, most records first. */
  byService(): ServiceCoverage[] {
    return [...this.#byService].map(([service, c]) => ({
      service,
      records: c.records,
      concrete: c.concrete,
      partial: c.partial,
      noResourceLevel: c.noResourceLevel,
      noArn: c.noArn,
      actions: c.actions.size,
      concreteActions: [...c.actions.values()].filter(Boolean).length,
    })).sort((a, b) => b.records - a.records || (a.service < b.service ? -1 : 1));
  }

  /** All services together (`service` is "all"). */
  total(): ServiceCoverage {
    const total: ServiceCoverage = {
      service: "all",
      records: 0,
      concrete: 0,
      partial: 0,
      noResourceLevel: 0,
      noArn: 0,
      actions: 0,
      concreteActions: 0,
    };
    for (const s of this.byService()) {
      total.records += s.records;
      total.concrete += s.concrete;
      total.partial += s.partial;
      total.noResourceLevel += s.noResourceLevel;
      total.noArn += s.noArn;
      total.actions += s.actions;
      total.concreteActions += s.concreteActions;
    }
    return total;
  }
}
