/** Where CloudTrail puts digest files in S3, what a digest key says, and which day folders hold the digests of a range. */
import { utcDays } from "../aws/s3_layout.ts";

/** What a digest file's key says. */
export interface DigestKey {
  /** Key prefix before `AWSLogs/` (with its trailing slash, or empty). */
  prefix: string;
  orgId?: string;
  account: string;
  /** The region whose events the digest covers. */
  region: string;
  trail: string;
  /** The trail's home region. */
  homeRegion: string;
  /** End of the hour the digest covers, from the name (second precision), epoch ms UTC. */
  end: number;
  /** A `_backfill` digest: log files a late delivery added to the hour it names. */
  backfill: boolean;
}

const HOUR = 3_600_000;
// Anchored: temp files (`.json.gz.tmp-…`) and sidecars never match. A trail name may hold `_`, a region may not.
const DIGEST_KEY = new RegExp(
  "^(.*?)AWSLogs/(?:(o-[a-z0-9]+)/)?(\\d{12})/CloudTrail-Digest/([a-z0-9-]+)/(\\d{4})/(\\d{2})/(\\d{2})/" +
    "(\\d{12})_CloudTrail-Digest_([a-z0-9-]+)_(.+)_([a-z]{2}(?:-[a-z]+)+-\\d+)_" +
    "(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})Z(_backfill)?\\.json\\.gz$",
);

/** The parts of a digest key, or undefined when the key is not one (log files, sidecars, temp files). */
export function parseDigestKey(key: string): DigestKey | undefined {
  // `.`, `..` or empty segments: not CloudTrail's, and such a key could name another file once made a path.
  if (key.split("/").some((s) => s === "" || s === "." || s === "..")) return undefined;
  const m = DIGEST_KEY.exec(key);
  if (!m) return undefined;
  const [
    ,
    prefix = "",
    orgId,
    account = "",
    folderRegion,
    ,
    ,
    ,
    nameAccount,
    region = "",
    trail = "",
    homeRegion = "",
  ] = m;
  if (nameAccount !== account || folderRegion !== region) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(12, 18).map(Number) as number[];
  const end = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  // Date.UTC rolls hour 25 or day 32 over into the next; such a name is not CloudTrail's.
  const back = new Date(end);
  const same = back.getUTCMonth() === mo! - 1 && back.getUTCDate() === d && back.getUTCHours() === h &&
    back.getUTCMinutes() === mi && back.getUTCSeconds() === s;
  if (Number.isNaN(end) || !same) {
    return undefined;
  }
  return {
    prefix,
    ...(orgId ? { orgId } : {}),
    account,
    region,
    trail,
    homeRegion,
    end,
    backfill: m[18] !== undefined,
  };
}

/** True for a key whose name is a CloudTrail digest file. */
export function isDigestKey(key: string): boolean {
  return parseDigestKey(key) !== undefined;
}

/** One account and region of a trail bucket (org trails: of one organization): the unit `validate` checks at once. */
export interface DigestUnit {
  /** Key prefix before `AWSLogs/` (with its trailing slash, or empty). */
  prefix: string;
  orgId?: string | undefined;
  account: string;
  region: string;
}

/** `<prefix>AWSLogs/[<org>/]<account>/` of a unit. */
export function unitRoot(unit: DigestUnit): string {
  return `${unit.prefix}AWSLogs/${unit.orgId ? `${unit.orgId}/` : ""}${unit.account}/`;
}

/** A range and its digest window: digests that end in [from, to + 1 hour] cover the log files delivered in [from, to]. */
export function digestWindow(range: { from: number; to: number }): { from: number; to: number } {
  return { from: range.from, to: range.to + HOUR };
}

/** The day folders of a unit's digests for the range: `<root>CloudTrail-Digest/<region>/YYYY/MM/DD/`. */
export function digestPrefixesFor(range: { from: number; to: number }, unit: DigestUnit): string[] {
  const window = digestWindow(range);
  return utcDays(window.from, window.to).map((day) => `${unitRoot(unit)}CloudTrail-Digest/${unit.region}/${day}/`);
}

/** The day folders of a unit's log files for the range: `<root>CloudTrail/<region>/YYYY/MM/DD/`. */
export function logPrefixesFor(range: { from: number; to: number }, unit: DigestUnit): string[] {
  return utcDays(range.from, range.to).map((day) => `${unitRoot(unit)}CloudTrail/${unit.region}/${day}/`);
}

const LOG_KEY = /^(.*?)AWSLogs\/(?:(o-[a-z0-9]+)\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/[^/]+$/;

/** The unit (prefix, organization, account, region) a log file key belongs to, or undefined for another key. */
export function logKeyUnit(key: string): DigestUnit | undefined {
  const m = LOG_KEY.exec(key);
  if (!m) return undefined;
  const [, prefix = "", orgId, account = "", region = ""] = m;
  return { prefix, ...(orgId ? { orgId } : {}), account, region };
}
