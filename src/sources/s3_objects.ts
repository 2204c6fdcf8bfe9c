/** S3 access for `download`: paginated listing and atomic downloads. Loads the SDK lazily. */
import { dirname } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { AwsClientSettings } from "./aws_options.ts";

/** An object to download. */
export interface S3Object {
  key: string;
  size: number;
}

/** Creates an S3 client (the SDK module is imported only now, ~60 ms). */
export async function createS3Client(settings: AwsClientSettings): Promise<S3Client> {
  const { S3Client } = await import("@aws-sdk/client-s3");
  return new S3Client(settings);
}

/** Every object below `prefix` for which `keep(key)` holds, following continuation tokens. */
export async function* listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: { keep: (key: string) => boolean; signal: AbortSignal; onPage?: () => void },
): AsyncGenerator<S3Object> {
  const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
      { abortSignal: options.signal },
    );
    options.onPage?.();
    for (const o of page.Contents ?? []) {
      if (o.Key !== undefined && options.keep(o.Key)) yield { key: o.Key, size: o.Size ?? 0 };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Suffix of in-progress downloads: never a log file name, so `select` ignores them. */
export const TEMP_MARKER = ".tmp-";

/**
 * Downloads `key` to `target` atomically: the bytes go to `<target>.tmp-<random>`,
 * which is renamed to `target` only when complete and of the expected size, and
 * removed on any failure or abort. One GET, no HEAD. Returns the bytes written.
 */
export async function downloadObject(
  client: S3Client,
  bucket: string,
  object: S3Object,
  target: string,
  signal: AbortSignal,
): Promise<number> {
  const { GetObjectCommand } = await import("@aws-sdk/client-s3");
  await Deno.mkdir(dirname(target), { recursive: true });
  const temp = `${target}${TEMP_MARKER}${crypto.randomUUID().slice(0, 8)}`;
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: object.key }), {
      abortSignal: signal,
    });
    if (!response.Body) throw new Error("empty response body");
    const file = await Deno.open(temp, { write: true, createNew: true });
    let written = 0;
    const counted = response.Body.transformToWebStream().pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          written += chunk.length;
          controller.enqueue(chunk);
        },
      }),
    );
    await counted.pipeTo(file.writable, { signal });
    if (written !== object.size) throw new Error(`got ${written} bytes, S3 listed ${object.size}`);
    await Deno.rename(temp, target);
    return written;
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
