/** The contents of a CloudTrail digest file, checked field by field. */

/** A log file a digest names, with the SHA-256 of its uncompressed contents. */
export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  /** Hex, lower case. */
  hashValue: string;
  hashAlgorithm: string;
}

/** The fields of a digest that validation uses. */
export interface DigestDocument {
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
}

/** A parsed digest, or why it is not one. */
export type ParsedDigest = { ok: true; digest: DigestDocument } | { ok: false; issue: string };

const REQUIRED = [
  "digestStartTime",
  "digestEndTime",
  "digestS3Bucket",
  "digestS3Object",
  "digestPublicKeyFingerprint",
] as const;
const NULLABLE = [
  "previousDigestS3Bucket",
  "previousDigestS3Object",
  "previousDigestHashValue",
  "previousDigestSignature",
] as const;

function logFileOf(value: unknown): DigestLogFile | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const f = value as Record<string, unknown>;
  if (typeof f.s3Object !== "string" || typeof f.hashValue !== "string") return undefined;
  return {
    s3Bucket: typeof f.s3Bucket === "string" ? f.s3Bucket : "",
    s3Object: f.s3Object,
    hashValue: f.hashValue.toLowerCase(),
    hashAlgorithm: typeof f.hashAlgorithm === "string" ? f.hashAlgorithm : "SHA-256",
  };
}

/** Parses the uncompressed text of a digest file; a missing or mistyped field is an issue, not an exception. */
export function parseDigestDocument(text: string): ParsedDigest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, issue: "invalid format: not JSON" };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, issue: "invalid format: not a JSON object" };
  }
  const d = raw as Record<string, unknown>;
  for (const field of REQUIRED) {
    if (typeof d[field] !== "string") return { ok: false, issue: `invalid format: no ${field}` };
  }
  for (const field of NULLABLE) {
    if (d[field] !== undefined && d[field] !== null && typeof d[field] !== "string") {
      return { ok: false, issue: `invalid format: ${field} is not a string` };
    }
  }
  if (!("previousDigestSignature" in d)) return { ok: false, issue: "invalid format: no previousDigestSignature" };
  const list = d.logFiles ?? [];
  if (!Array.isArray(list)) return { ok: false, issue: "invalid format: logFiles is not a list" };
  const logFiles: DigestLogFile[] = [];
  for (const entry of list) {
    const file = logFileOf(entry);
    if (!file) return { ok: false, issue: "invalid format: a logFiles entry without s3Object or hashValue" };
    logFiles.push(file);
  }
  const text_ = (field: string) => (typeof d[field] === "string" ? d[field] as string : null);
  return {
    ok: true,
    digest: {
      digestStartTime: d.digestStartTime as string,
      digestEndTime: d.digestEndTime as string,
      digestS3Bucket: d.digestS3Bucket as string,
      digestS3Object: d.digestS3Object as string,
      digestPublicKeyFingerprint: d.digestPublicKeyFingerprint as string,
      digestSignatureAlgorithm: text_("digestSignatureAlgorithm") ?? "SHA256withRSA",
      previousDigestS3Bucket: text_("previousDigestS3Bucket"),
      previousDigestS3Object: text_("previousDigestS3Object"),
      previousDigestHashValue: text_("previousDigestHashValue"),
      previousDigestSignature: text_("previousDigestSignature"),
      logFiles,
    },
  };
}

/**
 * The string CloudTrail signs (SHA256withRSA) for a digest: its end time, its S3 path,
 * the hex SHA-256 of its uncompressed bytes and the previous digest's signature
 * (`null` for the first digest of a chain), joined by newlines.
 */
export function signingString(digest: DigestDocument, sha256Hex: string): string {
  return [
    digest.digestEndTime,
    `${digest.digestS3Bucket}/${digest.digestS3Object}`,
    sha256Hex,
    digest.previousDigestSignature ?? "null",
  ].join("\n");
}
