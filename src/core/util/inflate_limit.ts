/**
 * How far one log file (or part file of the sync archive) may inflate. Real CloudTrail log files are at most tens of
 * MB uncompressed; a file past the limit (a gzip bomb: a few MB that inflate to gigabytes) is skipped with a reason,
 * and inflating it stops there. This is the pure part: sources/log_file_limit.ts reads the limit from the environment,
 * and the commands pass it to state/ (which may not import sources/).
 */

/** The variable that sets the limit in MiB (a whole number; anything else is a usage error when a command starts). */
export const MAX_INFLATED_VARIABLE = "TRAILSCRAPER_MAX_INFLATED_MIB";

/** Far above a real log file, and below V8's longest string (~512 MiB), which the text of a file must fit in. */
export const DEFAULT_MAX_INFLATED_MIB = 256;

/** A limit on uncompressed bytes and the name its issue gives it. */
export interface InflateLimit {
  bytes: number;
  name: string;
}

/** The log file limit of `mib` MiB (also the bound on a part file of the sync archive, which holds such files' lines). */
export function inflateLimit(mib: number = DEFAULT_MAX_INFLATED_MIB): InflateLimit {
  return { bytes: mib * 2 ** 20, name: "log file limit" };
}

/** The limit `value` sets in MiB, or undefined when it is not a whole number from 1 to 999999. */
export function maxInflatedMib(value: string): number | undefined {
  return /^[1-9][0-9]{0,5}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** Why the variable's value cannot be used (for a usage error at start), or undefined when unset, empty or good. */
export function maxInflatedProblem(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === "" || maxInflatedMib(value) !== undefined) return undefined;
  return `${MAX_INFLATED_VARIABLE} takes a whole number of MiB (1 to 999999), got "${value}"`;
}

/**
 * The issue of an input past `limit`: uncompressed (inflated past it, or a plain file larger than it), or compressed
 * (a gzip file larger than it on disk, refused before it is inflated).
 */
export function overLimitIssue(limit: InflateLimit, form: "uncompressed" | "compressed" = "uncompressed"): string {
  return `over the ${limit.name} of ${limit.bytes / 2 ** 20} MiB ${form}`;
}

/** The issue of a file larger than `limit` on disk, by its first bytes: compressed when they are gzip's magic number. */
export function fileOverLimitIssue(limit: InflateLimit, head: Uint8Array): string {
  return overLimitIssue(limit, head[0] === 0x1f && head[1] === 0x8b ? "compressed" : "uncompressed");
}

/** True when `error` is zlib's refusal to inflate past `maxOutputLength`. */
export function isOverLimit(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "ERR_BUFFER_TOO_LARGE";
}
