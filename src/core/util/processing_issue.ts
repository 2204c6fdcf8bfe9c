/** The skip reason of a record or document whose processing threw. */
/**
 * Why a record or a document could not be processed, from what processing it threw: a
 * skip reason to count. A `RangeError` is what V8 throws for a value nested too deeply
 * (call stack) or too large (string length).
 */
export function processingIssue(error: unknown): string {
  if (error instanceof RangeError) {
    return /call stack/i.test(error.message)
      ? "nested too deeply to process"
      : `too large to process (${error.message})`;
  }
  return `cannot be processed (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})`;
}
