/** CloudTrail log file names and folders, and which of them can hold events of a time range. */

/** What a log file's name says. */
export interface LogFileName {
  account: string;
  region: string;
  /** Delivery time from the name (minute precision), epoch ms UTC. */
  delivered: number;
}

// Anchored at both ends: `.json.gz.tmp` and partial downloads never match.
const LOG_FILE = /^(\d+)_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_([a-zA-Z0-9]+)\.json\.gz$/;
const DATE_PARTITION = /^date=(\d{4})-(\d{2})-(\d{2})$/;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The parts of a CloudTrail log file name, or undefined for any other file (digests, Insights, temp files). */
export function parseLogFileName(name: string): LogFileName | undefined {
  const m = LOG_FILE.exec(name);
  if (!m) return undefined;
  const [, account = "", region = "", y, mo, d, h, mi] = m;
  const delivered = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  return Number.isNaN(delivered) ? undefined : { account, region, delivered };
}

/** Why a file that is not a log file was passed over, for the summary. */
export function nonLogFileKind(name: string): "digest" | "insight" | "temporary" | "other" {
  if (name.includes("_CloudTrail-Digest_")) return "digest";
  if (name.includes("_CloudTrail-Insight_")) return "insight";
  if (/\.json\.gz\..+$/.test(name) || name.endsWith(".tmp") || name.endsWith(".part")) return "temporary";
  return "other";
}

/** trailscraper's rule: a file can hold events of [from, to] when from <= delivery <= to + 1 hour. */
export function deliveredInRange(delivered: number, from: number, to: number): boolean {
  return from <= delivered && delivered <= to + HOUR;
}

/**
 * False when `parts` (folder names below the log dir) end in a `YYYY`, `YYYY/MM`
 * or `YYYY/MM/DD` folder right below `CloudTrail/<region>` whose whole span lies
 * outside the delivery window [from, to + 1 hour], or a `date=YYYY-MM-DD` partition of
 * the `sync` archive (which holds the events of that UTC day) outside [from, to].
 * Any other folder may hold files.
 */
export function folderMayHoldRange(parts: string[], from: number, to: number): boolean {
  const partition = DATE_PARTITION.exec(parts.at(-1) ?? "");
  if (partition) {
    const start = Date.UTC(Number(partition[1]), Number(partition[2]) - 1, Number(partition[3]));
    return Number.isNaN(start) || (start + DAY > from && start <= to);
  }
  const i = parts.lastIndexOf("CloudTrail");
  if (i < 0 || parts.length < i + 3) return true;
  const dateParts = parts.slice(i + 2);
  if (dateParts.length > 3 || !dateParts.every((p) => /^\d+$/.test(p))) return true;
  const [y, m, d] = dateParts.map(Number) as [number, number?, number?];
  const start = Date.UTC(y, (m ?? 1) - 1, d ?? 1);
  const end = d !== undefined ? start + DAY : m !== undefined ? Date.UTC(y, m, 1) : Date.UTC(y + 1, 0, 1);
  return end > from && start <= to + HOUR;
}

/** What a file found below a local log dir is to `select`: a CloudTrail log file, a JSON Lines archive file, or neither. */
export type LocalFile =
  | { kind: "log"; delivered: number }
  | { kind: "archive" }
  | { kind: "other"; why: ReturnType<typeof nonLogFileKind> };

/**
 * Classifies a local file by name: CloudTrail log files (`.json.gz`, or `.json` when
 * someone gunzipped them), archive files of `sync` (`.jsonl`, `.jsonl.gz`), or
 * something to pass over (digests, Insights, temporary files, anything else).
 */
export function classifyLocalFile(name: string): LocalFile {
  const log = parseLogFileName(name) ?? (name.endsWith(".json") ? parseLogFileName(name + ".gz") : undefined);
  if (log) return { kind: "log", delivered: log.delivered };
  if (/\.jsonl(\.gz)?$/.test(name)) return { kind: "archive" };
  return { kind: "other", why: nonLogFileKind(name) };
}
