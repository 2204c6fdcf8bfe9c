/** Where `validate` reads digests and log files from: S3, or a local copy that `download --with-digests` made. */
import type { RawDigest } from "./digest_facts.ts";

/** A bucket or a local log dir, seen as keys. */
export interface DigestStore {
  /** Every key below the folder `prefix` (one day folder) for which `keep` holds. */
  list(prefix: string, keep: (key: string) => boolean): AsyncIterable<string>;
  /** A digest and its signature metadata, or undefined when it is not there. */
  readDigest(key: string): Promise<RawDigest | undefined>;
  /** A log file's bytes, why they were not read (larger than the log file limit), or undefined when it is not there. */
  readLog(key: string): Promise<Uint8Array | { issue: string } | undefined>;
  /** How the user names a key of this store (`s3://bucket/key`, or the local path). */
  where(key: string): string;
}
