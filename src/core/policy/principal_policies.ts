/** `generate --per-principal`: one policy generator per principal, fed record by record. */
import { type GeneratorOptions, type GeneratorPartial, PolicyGenerator } from "./policy_generator.ts";
import { principalOf } from "../records/principal.ts";
import { parseRecord } from "../records/record.ts";

/** Records grouped by principal into one generator each; a record that does not parse goes to `unknown`. */
export class PrincipalPolicies {
  readonly #generators = new Map<string, PolicyGenerator>();

  constructor(private readonly options: GeneratorOptions = {}) {}

  /** Adds one raw record to its principal's generator. */
  add(raw: unknown): void {
    const parsed = parseRecord(raw, false);
    const principal = parsed.ok ? principalOf(parsed.record) : "unknown";
    this.#generatorOf(principal).add(raw);
  }

  /** The state so far as plain data, by principal. */
  toPartial(): [string, GeneratorPartial][] {
    return [...this.#generators].map(([principal, generator]) => [principal, generator.toPartial()]);
  }

  /** Adds another collection's state. */
  merge(partials: readonly [string, GeneratorPartial][]): void {
    for (const [principal, partial] of partials) this.#generatorOf(principal).merge(partial);
  }

  #generatorOf(principal: string): PolicyGenerator {
    let generator = this.#generators.get(principal);
    if (!generator) this.#generators.set(principal, generator = new PolicyGenerator(this.options));
    return generator;
  }

  /** The generators by principal, sorted by principal. */
  byPrincipal(): [string, PolicyGenerator][] {
    return [...this.#generators].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
