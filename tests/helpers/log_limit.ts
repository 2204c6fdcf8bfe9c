/** Log files past the log file limit, for the tests that lower it to 1 MiB so the files stay small. */

export const LIMIT_VARIABLE = "TRAILSCRAPER_MAX_INFLATED_MIB";

/** Runs `work` with the log file limit lowered to 1 MiB (the variable is process-wide: workers read it too). */
export async function withLowLimit(work: () => Promise<void>): Promise<void> {
  Deno.env.set(LIMIT_VARIABLE, "1");
  try {
    await work();
  } finally {
    Deno.env.delete(LIMIT_VARIABLE);
  }
}

/** A Records document holding `records`, padded with white space to at least `size` bytes: valid JSON. */
export function paddedText(records: unknown[], size: number): Uint8Array {
  const text = JSON.stringify({ Records: records });
  return new TextEncoder().encode(text.slice(0, -1) + " ".repeat(Math.max(0, size - text.length)) + "}");
}
