/** Records in, policy and counts out: the whole of `generate` without I/O. */
import { countInto } from "./counts.ts";
import { ObservedCalls } from "./observed_calls.ts";
import { PolicyBuilder } from "./policy_builder.ts";
import type { PolicyDocument } from "./policy.ts";
import { parseRecord } from "./record.ts";
import { recordGrant } from "./record_grant.ts";

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

  constructor(options: { observe?: boolean } = {}) {
    this.observed = options.observe ? new ObservedCalls() : undefined;
  }

  /** Adds one raw JSON record. */
  add(raw: unknown): void {
    this.#records++;
    const parsed = parseRecord(raw);
    if (!parsed.ok) return countInto(this.#skipped, parsed.issue);
    const grant = recordGrant(parsed.record);
    if (grant.kind === "ignored") return countInto(this.#ignored, grant.reason);
    this.#granted++;
    for (const a of grant.unknown) this.#unknown.add(a);
    this.#builder.add(grant.actions, grant.resources);
    this.observed?.add(grant.actions, grant.resources);
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
    };
  }
}
