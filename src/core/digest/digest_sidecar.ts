/** The sidecar `download --with-digests` writes beside each digest: the S3 metadata a local copy cannot keep. */

/** Suffix of the sidecar file of a digest (`<digest>.json.gz.sig.json`). */
export const SIDECAR_SUFFIX = ".sig.json";

/** What S3 holds about a digest besides its bytes. */
export interface DigestSidecar {
  bucket: string;
  key: string;
  /** `x-amz-meta-signature`: the hex SHA256withRSA signature. */
  signature: string;
  /** `x-amz-meta-signature-algorithm`. */
  signatureAlgorithm: string;
}

/** The sidecar's JSON text. */
export function sidecarText(sidecar: DigestSidecar): string {
  return JSON.stringify(sidecar, null, 2) + "\n";
}

/** The sidecar in `text`, or undefined when it is not one. */
export function parseSidecar(text: string): DigestSidecar | undefined {
  try {
    const s = JSON.parse(text) as Record<string, unknown>;
    const fields = ["bucket", "key", "signature", "signatureAlgorithm"] as const;
    return fields.every((f) => typeof s?.[f] === "string") ? (s as unknown as DigestSidecar) : undefined;
  } catch {
    return undefined;
  }
}
