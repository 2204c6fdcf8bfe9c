/** Walking a unit's digests: each digest's own check and the links to the one before it, as states. */
import type { DigestDocument } from "./digest_document.ts";
import { parseDigestKey } from "./digest_key.ts";
import type { FileResult } from "./digest_state.ts";

/** What reading and checking one digest found (the I/O and the crypto happen before, in the sources). */
export interface DigestFacts {
  key: string;
  /** Why the digest itself cannot be trusted: gone, unreadable, moved, no public key, bad signature. */
  problem?: { state: "deleted" | "signature-invalid"; reason: string };
  /** Hex signature from the object's metadata. */
  signature?: string;
  /** Hex SHA-256 of the uncompressed digest. */
  sha256?: string;
  /** Hex SHA-256 of the digest's gzip bytes as stored. */
  gzipSha256?: string;
  document?: DigestDocument;
}

/** What {@link judgeDigests} decides. */
export interface DigestJudgement {
  /** One result per digest, plus one `deleted` result per missing digest that a later one names. */
  results: FileResult[];
  /** The digests whose signature holds (valid or chain-broken): the log files they name can be checked. */
  trusted: DigestFacts[];
}

function linkProblem(
  document: DigestDocument,
  byKey: Map<string, DigestFacts>,
  from: number,
): { reason: string; missing?: string } | undefined {
  const previousKey = document.previousDigestS3Object;
  if (!previousKey) {
    // The first digest after logging (re)started; a non-null previous signature without a key is a forged start.
    return document.previousDigestSignature === null ? undefined : { reason: "previous digest not named" };
  }
  const previous = byKey.get(previousKey);
  if (!previous || previous.problem?.state === "deleted") {
    const end = parseDigestKey(previousKey)?.end;
    if (end === undefined) return { reason: `previous digest "${previousKey}" is not a digest key` };
    // Before the window the previous digest was not listed: the chain is checked inside the range only.
    return end < from ? undefined : { reason: `previous digest "${previousKey}" not found`, missing: previousKey };
  }
  if (previous.signature === undefined || previous.signature !== document.previousDigestSignature) {
    return { reason: `previous-signature does not match "${previousKey}"` };
  }
  // AWS documents the hash of the uncompressed previous digest; the stored bytes' hash is accepted too (the
  // signature check above already binds the previous digest, so this only adds a consistency check).
  const hash = document.previousDigestHashValue?.toLowerCase();
  if (hash && previous.sha256 !== hash && previous.gzipSha256 !== hash) {
    return { reason: `previous digest hash does not match "${previousKey}"` };
  }
  return undefined;
}

/**
 * Judges every digest of one unit (one account and region, standard and backfill
 * chains alike; links are followed by key): signature-invalid or deleted from its own
 * facts, else chain-broken when the digest it names as previous is missing (and ends
 * at or after `from`) or does not carry the signature and hash it names, else valid.
 */
export function judgeDigests(facts: DigestFacts[], window: { from: number }): DigestJudgement {
  const byKey = new Map(facts.map((f) => [f.key, f]));
  const results: FileResult[] = [];
  const trusted: DigestFacts[] = [];
  const missing = new Set<string>();
  for (const f of [...facts].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (f.problem || !f.document) {
      const problem = f.problem ?? { state: "signature-invalid" as const, reason: "not read" };
      results.push({ kind: "digest", key: f.key, state: problem.state, reason: problem.reason });
      continue;
    }
    trusted.push(f);
    const link = linkProblem(f.document, byKey, window.from);
    if (!link) results.push({ kind: "digest", key: f.key, state: "valid" });
    else {
      results.push({ kind: "digest", key: f.key, state: "chain-broken", reason: link.reason });
      if (link.missing && !byKey.has(link.missing)) missing.add(link.missing);
    }
  }
  for (const key of missing) {
    results.push({ kind: "digest", key, state: "deleted", reason: "named as previous by the next digest, not found" });
  }
  return { results, trusted };
}
