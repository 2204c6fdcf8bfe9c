/** Why `download` found no log file: what the bucket holds below `AWSLogs/` instead. */
import type { S3Client } from "@aws-sdk/client-s3";
import { UsageError } from "../runtime/errors.ts";
import { escapeControl } from "../output/escape_control.ts";
import { subfolders } from "../sources/s3_discovery.ts";
import type { S3CallOptions } from "../sources/s3_objects.ts";

/** What was asked for. */
export interface EmptyDownload {
  bucket: string;
  keyPrefix: string;
  orgId: string[];
  accountId: string[];
}

const ORG = /^o-[a-z0-9]+$/;
const ACCOUNT = /^\d{12}$/;
/** At most this many folder names are listed in a hint. */
const SHOWN = 5;

/**
 * Lists `<prefix>AWSLogs/` once. An organization trail asked for without `--org-id` is a usage error naming the
 * `--org-id` to add; otherwise the accounts and organizations found there, as a note (undefined when the listing
 * fails or finds nothing to say).
 */
export async function emptyDownloadHint(
  client: S3Client,
  asked: EmptyDownload,
  call: S3CallOptions,
): Promise<string | undefined> {
  const root = `${asked.keyPrefix}AWSLogs/`;
  const names: string[] = [];
  try {
    for await (const name of subfolders(client, asked.bucket, root, { ...call, pageSize: 1000 })) names.push(name);
  } catch {
    return undefined; // the listing of the log folders already said what failed
  }
  const orgs = names.filter((n) => ORG.test(n));
  if (asked.orgId.length === 0 && orgs.length > 0) {
    throw new UsageError(
      `no log files under s3://${asked.bucket}/${root}<account>/: the bucket holds an organization trail: found ` +
        `${orgs.slice(0, SHOWN).map((o) => `${root}${o}/`).join(", ")}: add ${
          orgs.slice(0, SHOWN).map((o) => `--org-id ${o}`).join(" ")
        }`,
    );
  }
  if (names.length === 0) return `nothing below s3://${asked.bucket}/${root}: are --bucket and --prefix right?`;
  const found = [
    ...orgs.map((o) => `organization ${o}`),
    ...names.filter((n) => ACCOUNT.test(n)).map((a) => `account ${a}`),
  ];
  const listed = found.length > 0 ? found : names.map((n) => `"${escapeControl(n)}/"`); // a key chose the name
  return `s3://${asked.bucket}/${root} holds ${listed.slice(0, SHOWN).join(", ")}${
    listed.length > SHOWN ? ` and ${listed.length - SHOWN} more` : ""
  }; check --account-id, --org-id, --region and the time range`;
}
