/** `validate` for one account and region: digests read and judged, then the log files they name hashed, in parallel. */
import { type DigestFacts, judgeDigests } from "../core/digest_chain.ts";
import {
  digestPrefixesFor,
  type DigestUnit,
  digestWindow,
  logPrefixesFor,
  parseDigestKey,
} from "../core/digest_key.ts";
import { logsNamedByUntrusted, namedLogResult, namedLogs, uncoveredLogResult } from "../core/digest_logs.ts";
import type { FileResult } from "../core/digest_state.ts";
import { parseLogFileName } from "../core/log_file_name.ts";
import { isLogFileKey } from "../core/s3_layout.ts";
import { gunzip, sha256Hex } from "../sources/digest_crypto.ts";
import { digestFacts } from "../sources/digest_facts.ts";
import type { DigestStore } from "../sources/digest_store.ts";
import { mapOrdered } from "../sources/ordered_map.ts";
import type { PublicKeyRing } from "../sources/public_key_ring.ts";

/** Options of {@link validateUnit}. */
export interface ValidateUnitOptions {
  range: { from: number; to: number };
  keys: PublicKeyRing;
  /** Reads in flight at once. */
  parallelism: number;
  /** Receives every file's result as soon as it is known. */
  emit(result: FileResult): Promise<void>;
  /** A file could not be read (not a missing file: a denied or failing read); the run goes on. */
  onReadError(key: string, error: unknown): Promise<void>;
}

/** The keys below the prefixes, each once (a listing may repeat a key across pages). */
async function* listed(store: DigestStore, prefixes: string[], keep: (key: string) => boolean) {
  for (const prefix of prefixes) {
    const seen = new Set<string>();
    for await (const key of store.list(prefix, keep)) {
      if (seen.has(key)) continue;
      seen.add(key);
      yield key;
    }
  }
}

const nameOf = (key: string) => key.slice(key.lastIndexOf("/") + 1);

/** Validates one unit; results go to `options.emit` in a stable order: digests, then log files, each by key. */
export async function validateUnit(store: DigestStore, unit: DigestUnit, options: ValidateUnitOptions): Promise<void> {
  const window = digestWindow(options.range);
  const inWindow = (key: string) => {
    const end = parseDigestKey(key)?.end;
    return end !== undefined && end >= window.from && end <= window.to;
  };
  const facts: DigestFacts[] = [];
  const digestKeys = listed(store, digestPrefixesFor(options.range, unit), inWindow);
  for await (
    const f of mapOrdered(digestKeys, options.parallelism, async (key) => {
      let raw;
      try {
        raw = await store.readDigest(key);
      } catch (error) {
        await options.onReadError(key, error);
        return undefined;
      }
      // Not caught: a key source that fails (ListPublicKeys denied) fails every digest, so it ends the run.
      return await digestFacts(key, raw, options.keys);
    })
  ) if (f) facts.push(f);

  const { results, trusted } = judgeDigests(facts, window);
  for (const r of results) await options.emit(r);
  const named = namedLogs(trusted);
  const namedByUntrusted = logsNamedByUntrusted(facts, named);
  const ends = facts.filter((f) => !f.problem).map((f) => parseDigestKey(f.key)?.end ?? 0);
  const newestDigestEnd = ends.length ? Math.max(...ends) : undefined;

  for await (const key of listed(store, logPrefixesFor(options.range, unit), isLogFileKey)) {
    if (named.has(key)) continue;
    const delivered = parseLogFileName(nameOf(key))?.delivered ?? 0;
    if (delivered < options.range.from || delivered > options.range.to) continue;
    await options.emit(uncoveredLogResult(key, delivered, { newestDigestEnd, namedByUntrusted }));
  }
  const checks = mapOrdered(toAsync(named.values()), options.parallelism, async (log) => {
    try {
      const bytes = await store.readLog(log.key);
      if (!bytes) return namedLogResult(log, { found: false });
      const inflated = gunzip(bytes);
      return namedLogResult(
        log,
        inflated.ok ? { found: true, sha256: sha256Hex(inflated.bytes) } : { found: true, error: inflated.issue },
      );
    } catch (error) {
      await options.onReadError(log.key, error);
      return undefined;
    }
  });
  for await (const r of checks) if (r) await options.emit(r);
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
