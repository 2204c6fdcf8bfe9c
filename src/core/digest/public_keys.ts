/** CloudTrail's digest public keys as ListPublicKeys returns them (`aws cloudtrail list-public-keys` JSON). */

/** One public key: the DER bytes of a PKCS#1 RSA public key, by its hex fingerprint. */
export interface PublicKey {
  fingerprint: string;
  der: Uint8Array;
}

/** Keys, or why the document is not a key list. */
export type ParsedPublicKeys = { ok: true; keys: PublicKey[] } | { ok: false; issue: string };

function base64Bytes(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** Parses `{"PublicKeyList": [{"Value": "<base64 DER>", "Fingerprint": "<hex>", ...}]}`. */
export function parsePublicKeyList(text: string): ParsedPublicKeys {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, issue: "not JSON" };
  }
  const list = (raw as { PublicKeyList?: unknown } | null)?.PublicKeyList;
  if (!Array.isArray(list)) return { ok: false, issue: "no PublicKeyList" };
  const keys: PublicKey[] = [];
  for (const [i, entry] of list.entries()) {
    const e = entry as { Value?: unknown; Fingerprint?: unknown } | null;
    const der = typeof e?.Value === "string" ? base64Bytes(e.Value) : undefined;
    if (!der || typeof e?.Fingerprint !== "string") {
      return { ok: false, issue: `PublicKeyList[${i}] needs a base64 Value and a Fingerprint` };
    }
    keys.push({ fingerprint: e.Fingerprint.toLowerCase(), der });
  }
  return { ok: true, keys };
}
