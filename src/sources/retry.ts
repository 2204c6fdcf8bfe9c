/**
 * The one retry layer of every AWS call: the SDK clients make a single attempt
 * each, and this retries transient failures with capped exponential backoff and
 * jitter, on an injected clock whose sleep ends at once on abort.
 */
import { isTransient } from "../core/aws/aws_errors.ts";
import type { Clock } from "../core/util/clock.ts";
import { backoffMs, type BackoffOptions } from "../core/util/retry_policy.ts";

/** Options of {@link withRetries}. */
export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  signal: AbortSignal;
  clock: Clock;
  /** Random source in [0, 1), replaceable in tests. */
  random?: () => number;
  /** Which errors are worth another attempt (default: {@link isTransient}). */
  retryable?: (error: unknown) => boolean;
  /** Called before each backoff with the error and the attempt that failed. */
  onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Calls `fn` until it succeeds, a permanent error occurs, `attempts` run out or the
 * signal aborts; then throws the last error (an abort during a backoff throws the
 * abort's reason at once).
 */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const random = options.random ?? Math.random;
  const retryable = options.retryable ?? isTransient;
  for (let attempt = 1;; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= options.attempts || options.signal.aborted || !retryable(error)) throw error;
      options.onRetry?.(error, attempt);
      await options.clock.sleep(backoffMs(attempt, random(), options), options.signal);
      options.signal.throwIfAborted();
    }
  }
}
