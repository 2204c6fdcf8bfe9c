/** A DigestStore over an in-memory tree of S3 objects, for validate's unit tests. */
import type { DigestStore } from "../../src/sources/digest_store.ts";
import type { TreeObject } from "../../scripts/signed_tree.ts";

/** The objects as a store; `bucket` is where the digests claim to be. */
export function memoryStore(objects: Map<string, TreeObject>, bucket: string): DigestStore {
  return {
    async *list(prefix, keep) {
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes("/"));
      for (const key of keys.sort()) if (keep(key)) yield key;
    },
    readDigest(key) {
      const o = objects.get(key);
      return Promise.resolve(
        o && {
          bytes: o.body,
          signature: o.metadata?.signature,
          signatureAlgorithm: o.metadata?.["signature-algorithm"],
          bucket,
        },
      );
    },
    readLog: (key) => Promise.resolve(objects.get(key)?.body),
    where: (key) => `s3://${bucket}/${key}`,
  };
}
