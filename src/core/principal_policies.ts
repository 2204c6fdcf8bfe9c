/** `generate --per-principal`: one policy generator per principal, fed record by record. */
import { type GeneratorOptions, PolicyGenerator } from "./policy_generator.ts";
import { principalOf } from "./principal.ts";
import { parseRecord } from "./record.ts";

/** Records grouped by principal into one generator each; a record that does not parse goes to `unknown`. */
export class PrincipalPolicies {
  readonly #generators = new Map<string, PolicyGenerator>();

  constructor(private readonly options: GeneratorOptions = {}) {}

  /** Adds one raw record to its principal's generator. */
  add(raw: unknown): void {
    const parsed = parseRecord(raw);
    const principal = parsed.ok ? principalOf(parsed.record) : "unknown";
    let generator = this.#generators.get(principal);
    if (!generator) this.#generators.set(principal, generator = new PolicyGenerator(this.options));
    generator.add(raw);
  }

  /** The generators by principal, sorted by principal. */
  byPrincipal(): [string, PolicyGenerator][] {
    return [...this.#generators].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
