/** How long to wait before another attempt: exponential backoff with full jitter, capped. */

/** Options of {@link backoffMs}. */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

/** Backoff with full jitter for attempt `n` (1-based): `random` (in [0, 1)) times min(cap, base * 2^(n-1)). */
export function backoffMs(attempt: number, random: number, options: BackoffOptions): number {
  return random * Math.min(options.capMs, options.baseMs * 2 ** (attempt - 1));
}
