/**
 * Finds the account/region folders of a trail that hold logs, by S3 delimiter
 * listings paginated at every level: `<prefix>AWSLogs/` gives accounts and
 * organization ids, `AWSLogs/<o-id>/` the accounts of an organization trail, and
 * `…/<account>/CloudTrail/` the regions. Both layouts may share one bucket.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { S3CallOptions } from "./s3_objects.ts";
import { withRetries } from "./retry.ts";
import { S3_ATTEMPTS, S3_BACKOFF } from "./s3_objects.ts";

/** One account/region folder of a trail: the prefix its log files are listed under. */
export interface LogFolder {
  bucket: string;
  account: string;
  region: string;
  orgId?: string;
  /** `<prefix>AWSLogs/[<o-id>/]<account>/CloudTrail/<region>/` */
  prefix: string;
}

/** Options of {@link discoverLogFolders}. */
export interface DiscoveryOptions extends S3CallOptions {
  /** Keys per page (MaxKeys). */
  pageSize: number;
  onPage?: () => void;
}

const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;

/** The folder names right below `prefix` (delimiter `/`), every page. */
export async function* subfolders(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: DiscoveryOptions,
): AsyncGenerator<string> {
  const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
  let token: string | undefined;
  do {
    const command = new ListObjectsV2Command({
      Bucket: bucket,
      Prefix: prefix,
      Delimiter: "/",
      MaxKeys: options.pageSize,
      ...(token ? { ContinuationToken: token } : {}),
    });
    const page = await withRetries(() => client.send(command, { abortSignal: options.signal }), {
      ...S3_BACKOFF,
      attempts: S3_ATTEMPTS,
      signal: options.signal,
      clock: options.clock,
    });
    options.onPage?.();
    for (const p of page.CommonPrefixes ?? []) {
      const name = p.Prefix?.slice(prefix.length).replace(/\/$/, "");
      if (name) yield name;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Every account/region folder below `<prefix>AWSLogs/` of `bucket`, account and organization layouts alike. */
export async function* discoverLogFolders(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: DiscoveryOptions,
): AsyncGenerator<LogFolder> {
  const root = `${prefix}AWSLogs/`;
  async function* regionsOf(base: string, account: string, orgId?: string): AsyncGenerator<LogFolder> {
    for await (const region of subfolders(client, bucket, `${base}${account}/CloudTrail/`, options)) {
      yield {
        bucket,
        account,
        region,
        ...(orgId ? { orgId } : {}),
        prefix: `${base}${account}/CloudTrail/${region}/`,
      };
    }
  }
  for await (const name of subfolders(client, bucket, root, options)) {
    if (ACCOUNT.test(name)) yield* regionsOf(root, name);
    else if (ORG.test(name)) {
      for await (const account of subfolders(client, bucket, `${root}${name}/`, options)) {
        if (ACCOUNT.test(account)) yield* regionsOf(`${root}${name}/`, account, name);
      }
    }
  }
}
