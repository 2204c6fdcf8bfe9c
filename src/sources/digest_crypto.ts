/** The crypto of digest validation (node:crypto, node:zlib): SHA-256, gunzip and SHA256withRSA verification. */
import { createHash, createPublicKey, createVerify, type KeyObject } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { errorMessage } from "../core/util/error_message.ts";
import { type InflateLimit, isOverLimit, overLimitIssue } from "../core/util/inflate_limit.ts";

/** Hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The uncompressed bytes of gzip data, or a reason when they are not gzip data or (with `limit`) would be more than
 * `limit` bytes: inflating stops there, so a small gzip bomb costs no more memory than the limit.
 */
export function gunzip(
  bytes: Uint8Array,
  limit?: InflateLimit,
): { ok: true; bytes: Uint8Array } | { ok: false; issue: string } {
  try {
    return { ok: true, bytes: gunzipSync(bytes, limit ? { maxOutputLength: limit.bytes } : {}) };
  } catch (e) {
    if (limit && isOverLimit(e)) return { ok: false, issue: overLimitIssue(limit) };
    return { ok: false, issue: `not gzip data (${errorMessage(e)})` };
  }
}

/** A PKCS#1 DER RSA public key as a key object, or undefined when the bytes are not one. */
export function pkcs1PublicKey(der: Uint8Array): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.from(der), format: "der", type: "pkcs1" });
  } catch {
    return undefined;
  }
}

/** True when `signatureHex` is a valid SHA256withRSA (PKCS#1 v1.5) signature of `text` under `key`. */
export function verifySha256Rsa(text: string, signatureHex: string, key: KeyObject): boolean {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  try {
    return createVerify("RSA-SHA256").update(text).verify(key, signatureHex, "hex");
  } catch {
    return false;
  }
}
