/** Counting by reason, and the `2 missing eventName, 1 not an object` text summaries use. */

/** Adds `n` (default 1) to `counts[key]`. */
export function countInto(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

/** The sum of all counts. */
export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** `2 missing eventName, 1 not an object`: largest first, then by name. */
export function breakdown(counts: Record<string, number>): string {
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${n} ${k}`)
    .join(", ");
}
