/** Where a record goes in the `sync` archive, and the key it is de-duplicated by. */
import { isObject } from "../util/data_table.ts";
import { textHash } from "../util/text_hash.ts";

const UNKNOWN = "unknown";
// Account ids have 12 digits and regions ~15 characters: a longer value would make a folder name the file system
// refuses (255 bytes), and one hostile record would stop the whole sync.
const SAFE = /^[A-Za-z0-9_.-]{1,64}$/;

function part(value: unknown): string {
  return typeof value === "string" && SAFE.test(value) ? value : UNKNOWN;
}

/**
 * The Hive partition of a record, from the record itself (not the S3 key):
 * `account=<recipientAccountId>/region=<awsRegion>/date=<UTC date of eventTime>`.
 * A missing, odd or over-long value becomes `unknown`, so nothing is lost and no path escapes
 * (each folder name starts with `account=`, `region=` or `date=`: never `.` or `..`).
 */
export function archivePartitionOf(raw: Record<string, unknown>): string {
  const identity = isObject(raw.userIdentity) ? raw.userIdentity : {};
  const account = part(raw.recipientAccountId ?? identity.accountId);
  const region = part(raw.awsRegion);
  const time = typeof raw.eventTime === "string" ? raw.eventTime : "";
  const date = /^\d{4}-\d{2}-\d{2}T/.test(time) ? time.slice(0, 10) : UNKNOWN;
  return `account=${account}/region=${region}/date=${date}`;
}

/** The record's eventID, or `sha:<hash of its text>` for a record without one (written once however often it comes). */
export function dedupKey(raw: Record<string, unknown>, text: string): string {
  return typeof raw.eventID === "string" && raw.eventID !== "" ? raw.eventID : `sha:${textHash(text)}`;
}

/** The lines of one partition: UTF-8 bytes, where each line ends, and its key. */
export interface PartitionLines {
  partition: string;
  keys: string[];
  /** Offset just past each line's newline in `bytes`. */
  ends: Uint32Array;
  bytes: Uint8Array;
}

/** What the sync step returns for one file. */
export interface SyncOut {
  partitions: PartitionLines[];
  records: number;
  /** Records without an eventID (keyed by a hash of their text). */
  withoutId: number;
}
