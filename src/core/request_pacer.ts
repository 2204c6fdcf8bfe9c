/** Keeps a stream of requests under a rate limit by spacing their starts. */

/** Spaces request starts at least `1000 / perSecond` ms apart; the caller passes the clock. */
export class RequestPacer {
  #next = -Infinity;
  readonly #gapMs: number;

  constructor(perSecond: number, marginMs = 10) {
    this.#gapMs = 1000 / perSecond + marginMs;
  }

  /** How long to wait before a request may start at `now`; reserves that slot. */
  reserve(now: number): number {
    const start = Math.max(now, this.#next);
    this.#next = start + this.#gapMs;
    return start - now;
  }
}

/** Backoff with full jitter for attempt `n` (1-based): random in [0, min(cap, base * 2^(n-1))). */
export function backoffMs(attempt: number, random: number, baseMs = 1000, capMs = 20_000): number {
  return random * Math.min(capMs, baseMs * 2 ** (attempt - 1));
}
