/** Records in, policy and counts out: the whole of `generate` without I/O. */
import { ArnCoverage, type CoverageEntry } from "../iam/arn_coverage.ts";
import { compareCodePoints } from "../util/compare_code_points.ts";
import { listKey } from "../util/list_key.ts";
import { ObservedCalls, type ObservedEntry } from "./observed_calls.ts";
import { CountedReasons, type RecordEffect, RecordEffects } from "./record_effects.ts";
import { type BuilderGroup, PolicyBuilder } from "./policy_builder.ts";
import type { PolicyDocument } from "./policy.ts";
import { processingIssue } from "../util/processing_issue.ts";
import { parseRecord } from "../records/record.ts";
import { recordGrant } from "../iam/record_grant.ts";
import type { ActionResources, ResourceResolver } from "../iam/resource_arns.ts";

/** What {@link PolicyGenerator.result} returns. */
export interface GenerateResult {
  policy: PolicyDocument;
  records: number;
  /** Records that needed a permission and got a statement. */
  granted: number;
  /** Skipped records by reason (not an object, missing eventName, ...). */
  skipped: Record<string, number>;
  /** Records that need no permission, by reason (eventType or call). */
  ignored: Record<string, number>;
  /** Actions kept although the IAM data does not know them, sorted. */
  unknownActions: string[];
  /** With a resource resolver (`--resources`): how many records got concrete ARNs. */
  coverage?: ArnCoverage;
}

/** Options of {@link PolicyGenerator}. */
export interface GeneratorOptions {
  /** Keep the observed (action, resource) pairs for a self-check. */
  observe?: boolean;
  /** Build resource ARNs per action (`--resources precise|prefix`) instead of trailscraper's `resources[]`. */
  resolver?: ResourceResolver | undefined;
}

/** A generator's state as plain data, to move from a worker and {@link PolicyGenerator.merge} into another. */
export interface GeneratorPartial {
  records: number;
  granted: number;
  skipped: Record<string, number>;
  ignored: Record<string, number>;
  unknown: string[];
  groups: BuilderGroup[];
  observed?: ObservedEntry[];
  coverage?: CoverageEntry[];
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

/** Actions with the same resources as one statement, in first-seen order. */
function byResources(resolved: readonly ActionResources[]): { actions: string[]; resources: string[] }[] {
  // Most records need one action: no grouping.
  if (resolved.length === 1) return [{ actions: [resolved[0]!.action], resources: resolved[0]!.resources }];
  const groups = new Map<string, { actions: string[]; resources: string[] }>();
  for (const { action, resources } of resolved) {
    const key = listKey(resources);
    const group = groups.get(key);
    if (group) group.actions.push(action);
    else groups.set(key, { actions: [action], resources });
  }
  return [...groups.values()].map((g) => ({ actions: g.actions.sort(compareCodePoints), resources: g.resources }));
}

/** Accumulates raw records one at a time (memory grows with distinct statements only). */
export class PolicyGenerator {
  #builder = new PolicyBuilder();
  #records = 0;
  #granted = 0;
  #skipped: Record<string, number> = {};
  #ignored: Record<string, number> = {};
  #unknown = new Set<string>();
  /** The (action, resource) pairs granted, for a self-check (only kept when asked for). */
  readonly observed: ObservedCalls | undefined;
  readonly #resolver: ResourceResolver | undefined;
  readonly #coverage: ArnCoverage | undefined;
  #effects = new RecordEffects();
  readonly #reasons = new CountedReasons();

  constructor(options: GeneratorOptions = {}) {
    this.observed = options.observe ? new ObservedCalls() : undefined;
    this.#resolver = options.resolver;
    this.#coverage = options.resolver ? new ArnCoverage() : undefined;
  }

  /** The state so far as plain data. */
  toPartial(): GeneratorPartial {
    return {
      records: this.#records,
      granted: this.#granted,
      skipped: this.#skipped,
      ignored: this.#ignored,
      unknown: [...this.#unknown],
      groups: this.#builder.groups(),
      ...(this.observed ? { observed: this.observed.entries() } : {}),
      ...(this.#coverage ? { coverage: this.#coverage.entries() } : {}),
    };
  }

  /** Adds another generator's state: the result is as if its records had been added here. */
  merge(partial: GeneratorPartial): void {
    this.#records += partial.records;
    this.#granted += partial.granted;
    addCounts(this.#skipped, partial.skipped);
    addCounts(this.#ignored, partial.ignored);
    for (const a of partial.unknown) this.#unknown.add(a);
    this.#builder.addGroups(partial.groups);
    if (partial.observed) this.observed?.addEntries(partial.observed);
    if (partial.coverage) this.#coverage?.addEntries(partial.coverage);
  }

  /**
   * Adds one raw JSON record; one that cannot be processed (nested too deeply, ...) is skipped and counted. With
   * `id`, what it did is kept, for {@link repeat} of that number to do again.
   */
  add(raw: unknown, id?: number): void {
    this.#records++;
    const effect: RecordEffect | undefined = id === undefined ? undefined : { counted: 0, groups: [] };
    if (effect && this.observed) effect.slots = [];
    const granted = this.#granted;
    try {
      this.#add(raw, effect);
    } catch (e) {
      // Counted as granted if it failed after that (resolving its ARNs): a repeat counts both again.
      if (effect) effect.granted = this.#granted !== granted;
      this.#skip(processingIssue(e), effect);
    }
    if (effect) this.#effects.keep(id!, effect);
  }

  /** Adds once more a record that was added with number `id`: it does what that one did. */
  repeat(id: number): void {
    this.#records++;
    const effects = this.#effects;
    const counted = effects.counted(id);
    if (counted < 0) this.#reasons.recount(counted);
    if (counted >= 0 || effects.granted(id)) this.#granted++;
    if (counted > 0) this.#coverage?.repeat(counted);
    effects.eachGroup(id, this.#repeatGroup);
    const pairs = effects.pairs(id);
    if (pairs) this.observed?.repeat(...pairs);
  }

  readonly #repeatGroup = (group: number) => this.#builder.repeat(group);

  /** No number given so far will be repeated: what was kept for them goes. */
  forgetRepeats(): void {
    this.#effects = new RecordEffects();
  }

  #skip(issue: string, effect: RecordEffect | undefined): void {
    const counted = this.#reasons.count(this.#skipped, issue);
    if (effect) effect.counted = counted;
  }

  /** Adds a record and notes in `effect` (if given) what it counted (see {@link RecordEffect}). */
  #add(raw: unknown, effect: RecordEffect | undefined): void {
    const parsed = parseRecord(raw, false);
    if (!parsed.ok) return this.#skip(parsed.issue, effect);
    const grant = recordGrant(parsed.record);
    if (grant.kind === "ignored") {
      const counted = this.#reasons.count(this.#ignored, grant.reason);
      if (effect) effect.counted = counted;
      return;
    }
    this.#granted++;
    for (const a of grant.unknown) this.#unknown.add(a);
    if (this.#resolver) {
      const resolved = this.#resolver.resolveGrant(parsed.record, grant);
      const counted = this.#coverage?.add(resolved) ?? 0;
      if (effect) effect.counted = counted;
      for (const { actions, resources } of byResources(resolved)) this.#addStatement(actions, resources, effect);
      return;
    }
    this.#addStatement(grant.actions, grant.resources, effect);
  }

  #addStatement(actions: string[], resources: string[], effect: RecordEffect | undefined): void {
    const group = this.#builder.add(actions, resources);
    effect?.groups.push(group);
    this.observed?.add(actions, resources, 1, effect?.slots);
  }

  /** The policy and the counts so far. */
  result(): GenerateResult {
    return {
      policy: this.#builder.build(),
      records: this.#records,
      granted: this.#granted,
      skipped: this.#skipped,
      ignored: this.#ignored,
      unknownActions: [...this.#unknown].sort(),
      ...(this.#coverage ? { coverage: this.#coverage } : {}),
    };
  }
}
