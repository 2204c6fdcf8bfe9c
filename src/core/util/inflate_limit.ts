/**
 * How far one log file (or part file of the sync archive) may inflate. Real CloudTrail log files are at most tens of
 * MB uncompressed; a file past the limit (a gzip bomb: a few MB that inflate to gigabytes) is skipped with a reason,
 * and inflating it stops there. This is the pure part, shared with state/ (which may not import sources/):
 * sources/log_file_limit.ts reads the limit from the environment (sources/max_inflated_variable.ts), and the commands
 * pass it to state/.
 */

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
