/** Retries transient failures with exponential backoff and full jitter. */
import { awsErrorCode } from "./aws_errors.ts";

/** Options of {@link withRetries}. */
export interface RetryOptions {
  attempts: number;
  baseMs: number;
  signal: AbortSignal;
  /** Random source in [0, 1), replaceable in tests. */
  random?: () => number;
}

// Errors that another attempt cannot fix.
const PERMANENT = new Set([
  "AccessDenied",
  "NoSuchKey",
  "NoSuchBucket",
  "InvalidObjectState",
  "CredentialsProviderError",
]);

/** True when an error may go away on retry: not a permission, missing object or abort. */
export function isTransient(error: unknown): boolean {
  const code = awsErrorCode(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (code && PERMANENT.has(code)) return false;
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) return false;
  return !(error instanceof DOMException && error.name === "AbortError");
}

/** Calls `fn` until it succeeds, a permanent error occurs, or `attempts` run out. */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const random = options.random ?? Math.random;
  for (let attempt = 1;; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= options.attempts || options.signal.aborted || !isTransient(error)) throw error;
      const delay = random() * options.baseMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
