/**
 * A map that holds at most `max` entries: adding one more drops the least recently used.
 * For caches keyed by input in a long-running process (the MCP server), which must not
 * grow with every call.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly max: number) {}

  /** The value of `key`, made by `make` when absent; marks it recently used. */
  get(key: K, make: () => V): V {
    let value = this.#entries.get(key);
    if (value !== undefined || this.#entries.has(key)) this.#entries.delete(key);
    else value = make();
    this.#entries.set(key, value as V);
    if (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value as K);
    return value as V;
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
