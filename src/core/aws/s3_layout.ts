/** Where CloudTrail puts log files in S3, and which key prefixes a download must list. */
import { parseLogFileName } from "./log_file_name.ts";

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, "0");

/** Every UTC day `[from, to]` touches, as `YYYY/MM/DD`, oldest first (empty when from > to). */
export function utcDays(from: number, to: number): string[] {
  const days: string[] = [];
  for (let t = Math.floor(from / DAY) * DAY; t <= to; t += DAY) {
    const d = new Date(t);
    days.push(`${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`);
  }
  return days;
}

/** A key prefix with the trailing slash it needs, and whether one was added. */
export function normalizePrefix(prefix: string): { prefix: string; added: boolean } {
  if (prefix === "" || prefix.endsWith("/")) return { prefix, added: false };
  return { prefix: prefix + "/", added: true };
}

/** Options of {@link keyPrefixesFor}. */
export interface KeyPrefixOptions {
  /** Key prefix before `AWSLogs/`, with its trailing slash (see {@link normalizePrefix}). */
  prefix: string;
  /** Organization IDs: the org-trail layout `AWSLogs/<org>/<account>/...`; none: `AWSLogs/<account>/...`. */
  orgIds: string[];
  accounts: string[];
  regions: string[];
}

/**
 * The day folders to list, one ListObjectsV2 (with pagination) each, as the
 * original lists them: `<prefix>AWSLogs/[<org>/]<account>/CloudTrail/<region>/YYYY/MM/DD/`
 * for every organization, account, region and UTC day of the range. Nothing above
 * them is listed, so a ListBucket permission limited to `AWSLogs/...` is enough.
 * Each folder once, however often an organization, account or region is given.
 */
export function keyPrefixesFor(range: { from: number; to: number }, options: KeyPrefixOptions): string[] {
  const orgs = options.orgIds.length > 0 ? options.orgIds.map((o) => `${o}/`) : [""];
  const days = utcDays(range.from, range.to);
  const prefixes = orgs.flatMap((org) =>
    options.accounts.flatMap((account) =>
      options.regions.flatMap((region) =>
        days.map((day) => `${options.prefix}AWSLogs/${org}${account}/CloudTrail/${region}/${day}/`)
      )
    )
  );
  return [...new Set(prefixes)]; // an account or region given twice names its folders once
}

/** True for a key whose file name is a CloudTrail log file (not a digest, not anything else). */
export function isLogFileKey(key: string): boolean {
  return parseLogFileName(key.slice(key.lastIndexOf("/") + 1)) !== undefined;
}
