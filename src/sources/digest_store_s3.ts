/** The S3 side of `validate`: day folders listed page by page, objects fetched with their metadata, each call retried. */
import type { S3Client } from "@aws-sdk/client-s3";
import { awsErrorCode } from "../core/aws/aws_errors.ts";
import type { DigestStore } from "./digest_store.ts";
import type { BoundedBytes } from "./bounded_file.ts";
import { DIGEST_LIMIT } from "./digest_facts.ts";
import { fetchObject, listObjects, readUpTo, type S3CallOptions } from "./s3_objects.ts";
import { fileOverLimitIssue } from "../core/util/inflate_limit.ts";
import { logFileLimit } from "./log_file_limit.ts";
import { withRetries } from "./retry.ts";

/** Options of {@link s3DigestStore}. */
export interface S3StoreOptions extends S3CallOptions {
  onPage?: () => void;
}

function notFound(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === "NoSuchKey" || code === "NotFound";
}

/**
 * GETs an object with its user metadata; undefined when the key does not exist. One larger than `maxBytes` is not
 * read past it (only its first bytes come back).
 */
export async function fetchWithMetadata(
  client: S3Client,
  bucket: string,
  key: string,
  options: S3CallOptions,
  maxBytes: number,
): Promise<{ read: BoundedBytes; metadata: Record<string, string> } | undefined> {
  const { GetObjectCommand } = await import("@aws-sdk/client-s3");
  try {
    return await withRetries(async () => {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: options.signal,
      });
      if (!response.Body) throw new Error("empty response body");
      const over = response.ContentLength !== undefined && response.ContentLength > maxBytes;
      const read = await readUpTo(response.Body.transformToWebStream(), over ? 0 : maxBytes);
      if (!read.over && response.ContentLength !== undefined && read.bytes.length !== response.ContentLength) {
        throw new Error(`got ${read.bytes.length} bytes, S3 sent a length of ${response.ContentLength}`);
      }
      return { read, metadata: response.Metadata ?? {} };
    }, { attempts: 5, baseMs: 250, capMs: 10_000, signal: options.signal, clock: options.clock });
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

/** A bucket as a {@link DigestStore}. */
export function s3DigestStore(client: S3Client, bucket: string, options: S3StoreOptions): DigestStore {
  return {
    async *list(prefix, keep) {
      for await (const o of listObjects(client, bucket, prefix, { ...options, keep })) yield o.key;
    },
    async readDigest(key) {
      const got = await fetchWithMetadata(client, bucket, key, options, DIGEST_LIMIT.bytes);
      if (!got) return undefined;
      return {
        ...(got.read.over
          ? { bytes: new Uint8Array(), issue: fileOverLimitIssue(DIGEST_LIMIT, got.read.head) }
          : { bytes: got.read.bytes }),
        signature: got.metadata["signature"],
        signatureAlgorithm: got.metadata["signature-algorithm"],
        bucket,
      };
    },
    async readLog(key) {
      try {
        const limit = logFileLimit();
        const read = await fetchObject(client, bucket, key, { ...options, maxBytes: limit.bytes });
        return read.over ? { issue: fileOverLimitIssue(limit, read.head) } : read.bytes;
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    where: (key) => `s3://${bucket}/${key}`,
  };
}
