/// <reference lib="deno.worker" />
/**
 * Web Worker of the hash pool: gunzips one log file per message and posts back the
 * hex SHA-256 of its uncompressed bytes (only the hash crosses back).
 */
import { gunzip, sha256Hex } from "./digest_crypto.ts";
import { logFileLimit } from "./log_file_limit.ts";

/** A file's gzip bytes to hash (the buffer is transferred, not copied). */
export interface HashJob {
  id: number;
  bytes: ArrayBuffer;
}

/** The hash of job `id`, or why there is none (not gzip data). */
export type HashReply = { id: number; ok: true; sha256: string } | { id: number; ok: false; issue: string };

/** Gunzips (up to the log file limit) and hashes; shared with the in-thread path of the pool. */
export function hashGzip(bytes: Uint8Array): { ok: true; sha256: string } | { ok: false; issue: string } {
  const inflated = gunzip(bytes, logFileLimit());
  return inflated.ok ? { ok: true, sha256: sha256Hex(inflated.bytes) } : inflated;
}

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  self.onmessage = (event: MessageEvent<HashJob | { ping: true }>) => {
    if ("ping" in event.data) return self.postMessage({ ping: true });
    const { id, bytes } = event.data;
    self.postMessage({ id, ...hashGzip(new Uint8Array(bytes)) } satisfies HashReply);
  };
}
