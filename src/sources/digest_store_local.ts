/** A local copy as a {@link DigestStore}: files at `<log-dir>/<key>`, digest metadata from their sidecars. */
import { join, relative, resolve, sep } from "node:path";
import { parseSidecar, SIDECAR_SUFFIX } from "../core/digest/digest_sidecar.ts";
import { type BoundedBytes, readFileUpTo } from "./bounded_file.ts";
import { DIGEST_LIMIT } from "./digest_facts.ts";
import type { DigestStore } from "./digest_store.ts";
import { fileOverLimitIssue } from "../core/util/inflate_limit.ts";
import { logFileLimit } from "./log_file_limit.ts";

/** Up to `max` bytes of the file at `path` (see {@link readFileUpTo}), or undefined when it is not there. */
function readUpToIfThere(path: string, max: number): BoundedBytes | undefined {
  try {
    return readFileUpTo(path, max);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.IsADirectory) return undefined;
    throw e;
  }
}

/** A log file's bytes, or why they are not read (larger than the log file limit), or undefined when it is not there. */
function readLogIfThere(path: string): Uint8Array | { issue: string } | undefined {
  const limit = logFileLimit();
  const read = readUpToIfThere(path, limit.bytes);
  return read?.over ? { issue: fileOverLimitIssue(limit, read.head) } : read?.bytes;
}

/** The path of `key` below `root`, or undefined when the key would leave it (`..`, absolute). */
export function pathBelow(root: string, key: string): string | undefined {
  const path = resolve(root, key);
  const rel = relative(root, path);
  return rel === "" || rel.startsWith("..") || rel.startsWith(sep) ? undefined : path;
}

/** The log dir `root` as a store; keys are the paths below it with `/` separators. */
export function localDigestStore(root: string): DigestStore {
  const base = resolve(root);
  return {
    async *list(prefix, keep) {
      const dir = pathBelow(base, prefix);
      if (!dir) return;
      let entries: Deno.DirEntry[];
      try {
        entries = await Array.fromAsync(Deno.readDir(dir));
      } catch (e) {
        if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return;
        throw e;
      }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const key = prefix + e.name;
        if (e.isFile && keep(key)) yield key;
      }
    },
    readDigest(key) {
      const path = pathBelow(base, key);
      const read = path ? readUpToIfThere(path, DIGEST_LIMIT.bytes) : undefined;
      if (!path || !read) return Promise.resolve(undefined);
      // A sidecar past the limit (a real one is a few hundred bytes) is no sidecar: the digest has no signature.
      const sidecarRead = readUpToIfThere(path + SIDECAR_SUFFIX, DIGEST_LIMIT.bytes);
      const sidecar = sidecarRead && !sidecarRead.over
        ? parseSidecar(new TextDecoder().decode(sidecarRead.bytes))
        : undefined;
      return Promise.resolve({
        ...(read.over
          ? { bytes: new Uint8Array(), issue: fileOverLimitIssue(DIGEST_LIMIT, read.head) }
          : { bytes: read.bytes }),
        signature: sidecar?.signature,
        signatureAlgorithm: sidecar?.signatureAlgorithm,
        bucket: sidecar?.bucket,
      });
    },
    readLog(key) {
      const path = pathBelow(base, key);
      return Promise.resolve(path ? readLogIfThere(path) : undefined);
    },
    where: (key) => join(root, key),
  };
}
