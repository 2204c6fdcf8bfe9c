/** Reading one digest into the facts the chain walk judges: format, location, public key and signature. */
import type { DigestFacts } from "../core/digest/digest_chain.ts";
import { parseDigestDocument, signingString } from "../core/digest/digest_document.ts";
import { parseDigestKey } from "../core/digest/digest_key.ts";
import { gunzip, sha256Hex, verifySha256Rsa } from "./digest_crypto.ts";
import type { PublicKeyRing } from "./public_key_ring.ts";

/** A digest as a store holds it: its bytes and the signature metadata beside them. */
export interface RawDigest {
  bytes: Uint8Array;
  signature?: string | undefined;
  signatureAlgorithm?: string | undefined;
  /** The bucket the digest was read from, when the store knows it. */
  bucket?: string | undefined;
  /** Why its bytes were not read (larger than {@link DIGEST_LIMIT}); `bytes` is then empty. */
  issue?: string | undefined;
}

const ALGORITHM = "SHA256withRSA";
/**
 * Far above a real digest (an hour's log files, a few hundred bytes each); a bigger one is not read (nor downloaded)
 * past it, nor inflated past it.
 */
export const DIGEST_LIMIT = { bytes: 64 * 2 ** 20, name: "digest limit" };

/** Checks one digest (undefined: listed, then gone) against its location and the public keys. */
export async function digestFacts(key: string, raw: RawDigest | undefined, keys: PublicKeyRing): Promise<DigestFacts> {
  const invalid = (reason: string): DigestFacts => ({ key, problem: { state: "signature-invalid", reason } });
  if (!raw) return { key, problem: { state: "deleted", reason: "listed, then not found" } };
  if (raw.issue) return invalid(`invalid format: ${raw.issue}`);
  const inflated = gunzip(raw.bytes, DIGEST_LIMIT);
  if (!inflated.ok) return invalid(`invalid format: ${inflated.issue}`);
  const sha256 = sha256Hex(inflated.bytes);
  const gzipSha256 = sha256Hex(raw.bytes);
  const parsed = parseDigestDocument(new TextDecoder().decode(inflated.bytes));
  if (!parsed.ok) return { ...invalid(parsed.issue), sha256 };
  const document = parsed.digest;
  const facts = (problem?: string): DigestFacts => ({
    key,
    sha256,
    gzipSha256,
    document,
    ...(raw.signature ? { signature: raw.signature } : {}),
    ...(problem ? { problem: { state: "signature-invalid", reason: problem } } : {}),
  });
  if (document.digestS3Object !== key || (raw.bucket !== undefined && document.digestS3Bucket !== raw.bucket)) {
    return facts("has been moved from its original location");
  }
  if (!raw.signature) return facts("no signature in the object's metadata");
  const algorithm = raw.signatureAlgorithm ?? document.digestSignatureAlgorithm;
  if (algorithm !== ALGORITHM) return facts(`unsupported signature algorithm "${algorithm}"`);
  const region = parseDigestKey(key)?.region ?? "";
  const found = await keys.lookup(region, document.digestPublicKeyFingerprint);
  if (!found.ok) return facts(found.issue);
  if (!verifySha256Rsa(signingString(document, sha256), raw.signature, found.key)) {
    return facts("signature verification failed");
  }
  return facts();
}
