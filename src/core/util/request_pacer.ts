/** Keeps a stream of requests under a rate limit by spacing their starts. */

/** Spaces request starts at least `1000 / perSecond` ms (plus a margin) apart; the caller passes the clock. */
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
