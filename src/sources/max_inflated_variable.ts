/**
 * The variable that sets the log file limit, and how its value is checked when a command starts. Free of imports: the
 * command tree loads it at startup, before any command's code (or core/) is loaded.
 */

/** The variable that sets the limit in MiB (a whole number; anything else is a usage error when a command starts). */
export const MAX_INFLATED_VARIABLE = "TRAILSCRAPER_MAX_INFLATED_MIB";

/** The limit `value` sets in MiB, or undefined when it is not a whole number from 1 to 999999. */
export function maxInflatedMib(value: string): number | undefined {
  return /^[1-9][0-9]{0,5}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** Why the variable's value cannot be used (for a usage error at start), or undefined when unset, empty or good. */
export function maxInflatedProblem(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === "" || maxInflatedMib(value) !== undefined) return undefined;
  return `${MAX_INFLATED_VARIABLE} takes a whole number of MiB (1 to 999999), got "${value}"`;
}
