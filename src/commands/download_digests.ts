/**
 * `download --with-digests`: the digests of the range (CloudTrail-Digest/) copied
 * beside the log files, each with a sidecar that keeps its S3 signature metadata,
 * so `validate --log-dir` can prove the local copy later, offline. Resumable: a
 * digest whose file (of the listed size) and sidecar are there is skipped.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { describeAwsError } from "../core/aws/aws_errors.ts";
import type { Clock } from "../core/util/clock.ts";
import { digestPrefixesFor, type DigestUnit, isDigestKey } from "../core/digest/digest_key.ts";
import { SIDECAR_SUFFIX, sidecarText } from "../core/digest/digest_sidecar.ts";
import { writeFileAtomic } from "../sources/atomic_file.ts";
import { forEachConcurrent } from "../sources/concurrency.ts";
import { pathBelow } from "../sources/digest_store_local.ts";
import { fetchWithMetadata } from "../sources/digest_store_s3.ts";
import { DIGEST_LIMIT } from "../sources/digest_facts.ts";
import { fileOverLimitIssue } from "../core/util/inflate_limit.ts";
import { writeBytesAtomic } from "../sources/atomic_bytes.ts";
import { localSize } from "../sources/log_dir_state.ts";
import { listObjects, type S3Object } from "../sources/s3_objects.ts";

/** What the digest pass counted. */
interface DigestCounts {
  listed: number;
  downloaded: number;
  skipped: number;
  failed: number;
}

/** Options of {@link downloadDigests}. */
interface DownloadDigestsOptions {
  bucket: string;
  units: DigestUnit[];
  range: { from: number; to: number };
  logDir: string;
  parallelism: number;
  signal: AbortSignal;
  clock: Clock;
  warn(message: string): Promise<void>;
}

/** `download: 26 digests listed, 26 downloaded with their signatures, 0 already there, 0 failed`. */
function digestSummary(c: DigestCounts): string {
  return `download: ${c.listed} digests listed, ${c.downloaded} downloaded with their signatures, ` +
    `${c.skipped} already there, ${c.failed} failed`;
}

async function isThere(path: string, size: number): Promise<boolean> {
  return (await localSize(path)) === size && (await localSize(path + SIDECAR_SUFFIX)) !== undefined;
}

/** Copies every digest of the units and range into the log dir, with its sidecar. */
async function downloadDigests(client: S3Client, options: DownloadDigestsOptions): Promise<DigestCounts> {
  const counts: DigestCounts = { listed: 0, downloaded: 0, skipped: 0, failed: 0 };
  const call = { signal: options.signal, clock: options.clock };
  async function* listed(): AsyncGenerator<S3Object> {
    for (const unit of options.units) {
      for (const prefix of digestPrefixesFor(options.range, unit)) {
        yield* listObjects(client, options.bucket, prefix, { ...call, keep: isDigestKey });
      }
    }
  }
  await forEachConcurrent(listed(), options.parallelism, async (object) => {
    counts.listed++;
    const target = pathBelow(options.logDir, object.key);
    try {
      if (!target) throw new Error("the key leaves the log dir");
      if (await isThere(target, object.size)) return void counts.skipped++;
      const got = await fetchWithMetadata(client, options.bucket, object.key, call, DIGEST_LIMIT.bytes);
      if (!got) throw new Error("listed, then not found");
      if (got.read.over) throw new Error(fileOverLimitIssue(DIGEST_LIMIT, got.read.head));
      const sidecar = {
        bucket: options.bucket,
        key: object.key,
        signature: got.metadata["signature"] ?? "",
        signatureAlgorithm: got.metadata["signature-algorithm"] ?? "",
      };
      await writeBytesAtomic(target, got.read.bytes);
      await writeFileAtomic(target + SIDECAR_SUFFIX, sidecarText(sidecar));
      counts.downloaded++;
    } catch (error) {
      if (options.signal.aborted) return;
      counts.failed++;
      await options.warn(describeAwsError(error, {
        doing: `downloading digest s3://${options.bucket}/${object.key}`,
        permission: "s3:GetObject",
        resource: `arn:aws:s3:::${options.bucket}/${object.key}`,
      }));
    }
  });
  return counts;
}

/** What `download` hands over: its options with times parsed and the prefix normalized. */
export interface DownloadPassOptions {
  bucket: string;
  keyPrefix: string;
  orgId: string[];
  accountId: string[];
  region: string[];
  logDir: string;
  from: number;
  to: number;
  parallelism: number;
}

/** The digest pass of `download --with-digests`: copies, prints its summary line, returns the failures. */
export async function copyDigests(
  client: S3Client,
  pass: DownloadPassOptions,
  io: { clock: Clock; stderr: { write(text: string): Promise<void> } },
  signal: AbortSignal,
): Promise<number> {
  const orgs = pass.orgId.length > 0 ? pass.orgId : [undefined];
  const units = orgs.flatMap((orgId) =>
    pass.accountId.flatMap((account) =>
      pass.region.map((region) => ({ prefix: pass.keyPrefix, orgId, account, region }))
    )
  );
  const counts = await downloadDigests(client, {
    bucket: pass.bucket,
    units,
    range: { from: pass.from, to: pass.to },
    logDir: pass.logDir,
    parallelism: pass.parallelism,
    signal,
    clock: io.clock,
    warn: (message) => io.stderr.write(`warning: ${message}\n`),
  });
  await io.stderr.write(digestSummary(counts) + "\n");
  return counts.failed;
}
