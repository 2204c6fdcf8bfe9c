/**
 * Finds the account/region folders of a trail that hold logs, by S3 delimiter
 * listings paginated at every level: `<prefix>AWSLogs/` gives accounts and
 * organization ids, `AWSLogs/<o-id>/` the accounts of an organization trail, and
 * `…/<account>/CloudTrail/` the regions. Both layouts may share one bucket.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { listPages, type S3CallOptions } from "./s3_objects.ts";

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
  const request = { prefix, delimiter: "/", pageSize: options.pageSize };
  for await (const page of listPages(client, bucket, request, options)) {
    for (const p of page.CommonPrefixes ?? []) {
      const name = p.Prefix?.slice(prefix.length).replace(/\/$/, "");
      if (name) yield name;
    }
  }
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
