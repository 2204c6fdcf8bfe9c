/**
 * A cache keyed by what records name (event sources, actions): a record may name anything, so a long-running
 * server must not grow with it. Emptied when full (cheaper per lookup than least-recently-used order on a path run
 * for every record), and a key longer than any real name is answered but not kept: bounded by size, not only count.
 */
/** Longer than any real event source, event name or IAM action (all under 100 characters). */
export const MAX_REAL_NAME = 256;

/** The cache: see the module's comment. */
export class InputKeyedCache<V> {
  readonly #entries = new Map<string, V>();
  #chars = 0;

  constructor(readonly maxEntries: number, readonly maxKeyLength = MAX_REAL_NAME) {}

  /** The value of `key`, made by `make` when not held. */
  get(key: string, make: (key: string) => V): V {
    const held = this.#entries.get(key);
    if (held !== undefined || this.#entries.has(key)) return held as V;
    const value = make(key);
    if (key.length > this.maxKeyLength) return value;
    if (this.#entries.size >= this.maxEntries) {
      this.#entries.clear();
      this.#chars = 0;
    }
    this.#entries.set(key, value);
    this.#chars += key.length;
    return value;
  }

  /** Entries held and the characters of their keys (for tests and diagnostics). */
  get held(): { entries: number; chars: number } {
    return { entries: this.#entries.size, chars: this.#chars };
  }
}
