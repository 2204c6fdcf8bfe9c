/** S3 access for `download` and `sync`: paginated listing and atomic downloads, each call retried. Loads the SDK lazily. */
import { dirname } from "node:path";
import type { ListObjectsV2CommandOutput, S3Client } from "@aws-sdk/client-s3";
import type { Clock } from "../core/util/clock.ts";
import type { AwsClientSettings } from "./aws_options.ts";
import type { BoundedBytes } from "./bounded_file.ts";
import { endpointOnErrors } from "./endpoint_on_errors.ts";
import { removeIfThere } from "./log_dir_state.ts";
import { withRetries } from "./retry.ts";

/** An object to download. */
export interface S3Object {
  key: string;
  size: number;
}

/** Attempts per S3 call (the first included): the SDK makes one each, so this is the most requests a file costs. */
export const S3_ATTEMPTS = 5;
/** Backoff between attempts: 250 ms doubling, at most 10 s. */
const S3_BACKOFF = { baseMs: 250, capMs: 10_000 };

/** What every S3 call needs besides its arguments. */
export interface S3CallOptions {
  signal: AbortSignal;
  clock: Clock;
}

/** Creates an S3 client (the SDK module is imported only now, ~60 ms); its errors name a chosen endpoint. */
export async function createS3Client(settings: AwsClientSettings): Promise<S3Client> {
  const { S3Client } = await import("@aws-sdk/client-s3");
  return endpointOnErrors(new S3Client(settings), settings.endpoint);
}

function retrying(options: S3CallOptions) {
  return {
    ...S3_BACKOFF,
    attempts: S3_ATTEMPTS,
    signal: options.signal,
    clock: options.clock,
  };
}

/** What one LIST asks for, besides the bucket. */
export interface ListRequest {
  prefix: string;
  delimiter?: string;
  /** List only keys after this one. */
  startAfter?: string | undefined;
  /** Keys per page (MaxKeys; S3's default is 1000). */
  pageSize?: number | undefined;
}

/** Every page of a ListObjectsV2, following continuation tokens, each page retried like every S3 call. */
export async function* listPages(
  client: S3Client,
  bucket: string,
  request: ListRequest,
  options: S3CallOptions & { onPage?: (() => void) | undefined },
): AsyncGenerator<ListObjectsV2CommandOutput> {
  const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const command = new ListObjectsV2Command({
      Bucket: bucket,
      Prefix: request.prefix,
      ...(request.delimiter ? { Delimiter: request.delimiter } : {}),
      ...(token ? { ContinuationToken: token } : request.startAfter ? { StartAfter: request.startAfter } : {}),
      ...(request.pageSize ? { MaxKeys: request.pageSize } : {}),
    });
    const page = await withRetries(() => client.send(command, { abortSignal: options.signal }), retrying(options));
    options.onPage?.();
    yield page;
    token = nextToken(page, seen);
  } while (token);
}

/**
 * The token of the next page, or undefined after the last. A broken endpoint that pages in a circle (a token seen
 * before) or says there is more without a token fails the listing: never an endless loop, never a silent cut.
 */
function nextToken(page: ListObjectsV2CommandOutput, seen: Set<string>): string | undefined {
  if (!page.IsTruncated) return undefined;
  const token = page.NextContinuationToken;
  if (!token) throw new Error("ListObjectsV2 said the listing is truncated but gave no continuation token");
  if (seen.has(token)) throw new Error("ListObjectsV2 returned a continuation token it had returned before");
  seen.add(token);
  return token;
}

/** Every object below `prefix` for which `keep(key)` holds. */
export async function* listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: S3CallOptions & Omit<ListRequest, "prefix" | "delimiter"> & {
    keep: (key: string) => boolean;
    onPage?: () => void;
  },
): AsyncGenerator<S3Object> {
  for await (const page of listPages(client, bucket, { ...options, prefix }, options)) {
    for (const o of page.Contents ?? []) {
      if (o.Key !== undefined && options.keep(o.Key)) yield { key: o.Key, size: o.Size ?? 0 };
    }
  }
}

/** Suffix of in-progress downloads: never a log file name, so `select` ignores them. */
export const TEMP_MARKER = ".tmp-";

/** Options of {@link downloadObject}. */
export interface DownloadObjectOptions extends S3CallOptions {
  /** A temporary file could not be removed after a failure (the failure itself is thrown). */
  onCleanupError?: (path: string, error: unknown) => void | Promise<void>;
}

/**
 * Listens for the errors of a response body that is a Node stream (the SDK's HTTP
 * handler): whoever reads it still gets the error, but when an abort (Ctrl-C) stops
 * the reading first, the socket's late "aborted" error would otherwise be uncaught
 * and end the process with a stack trace instead of exit 130.
 */
function hearErrors(body: unknown): void {
  const stream = body as { on?: (event: string, listener: (error: unknown) => void) => unknown };
  if (typeof stream.on === "function") stream.on("error", () => {});
}

/**
 * Downloads `key` to `target` atomically: the bytes go to `<target>.tmp-<random>`,
 * which is renamed to `target` only when complete and of the expected size, and
 * removed on any failure or abort. One GET per attempt, no HEAD; at most
 * {@link S3_ATTEMPTS} attempts. Returns the bytes written.
 */
export async function downloadObject(
  client: S3Client,
  bucket: string,
  object: S3Object & { target: string },
  options: DownloadObjectOptions,
): Promise<number> {
  const { GetObjectCommand } = await import("@aws-sdk/client-s3");
  await Deno.mkdir(dirname(object.target), { recursive: true });
  return await withRetries(async () => {
    const temp = `${object.target}${TEMP_MARKER}${crypto.randomUUID().slice(0, 8)}`;
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: object.key }), {
        abortSignal: options.signal,
      });
      if (!response.Body) throw new Error("empty response body");
      hearErrors(response.Body);
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
      await counted.pipeTo(file.writable, { signal: options.signal });
      if (written !== object.size) throw new Error(`got ${written} bytes, S3 listed ${object.size}`);
      await Deno.rename(temp, object.target);
      return written;
    } catch (error) {
      await removeIfThere(temp).catch((e) => options.onCleanupError?.(temp, e));
      throw error;
    }
  }, retrying(options));
}

/**
 * GETs an object into memory when it holds at most `maxBytes` (at most {@link S3_ATTEMPTS} attempts; a body that
 * breaks off is fetched again). A larger one (by its length, or by the bytes that come) is not read further than
 * that: only its first bytes come back, to tell gzip data from text.
 */
export async function fetchObject(
  client: S3Client,
  bucket: string,
  key: string,
  options: S3CallOptions & { maxBytes: number },
): Promise<BoundedBytes> {
  const { GetObjectCommand } = await import("@aws-sdk/client-s3");
  return await withRetries(async () => {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: options.signal,
    });
    if (!response.Body) throw new Error("empty response body");
    hearErrors(response.Body);
    // A length past the limit: read only the first bytes.
    const over = response.ContentLength !== undefined && response.ContentLength > options.maxBytes;
    const read = await readUpTo(response.Body.transformToWebStream(), over ? 0 : options.maxBytes);
    if (read.over) return read;
    if (response.ContentLength !== undefined && read.bytes.length !== response.ContentLength) {
      throw new Error(`got ${read.bytes.length} bytes, S3 sent a length of ${response.ContentLength}`);
    }
    return read;
  }, retrying(options));
}

/** The bytes of `stream` when there are at most `max` of them; else its first bytes, and the stream is cancelled. */
export async function readUpTo(stream: ReadableStream<Uint8Array>, max: number): Promise<BoundedBytes> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks.push(next.value);
      length += next.value.length;
      if (length > max) return { over: true, head: concat(chunks).slice(0, 2) };
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return { over: false, bytes: concat(chunks) };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
