/**
 * `validate` for one account and region, in two halves so that the next unit's
 * digests are read while this unit's log files are hashed: {@link prepareUnit} lists
 * and judges the digests and lists the log files; {@link finishUnit} emits those
 * results and hashes the log files the trusted digests name. Reads of every unit share
 * one bound (`reads`), the concurrency of `download`.
 */
import { type DigestFacts, judgeDigests } from "../core/digest/digest_chain.ts";
import {
  digestPrefixesFor,
  type DigestUnit,
  digestWindow,
  logPrefixesFor,
  parseDigestKey,
} from "../core/digest/digest_key.ts";
import {
  coveredUntil,
  logsNamedByUntrusted,
  type NamedLog,
  namedLogResult,
  namedLogs,
  uncoveredLogResult,
} from "../core/digest/digest_logs.ts";
import type { FileResult } from "../core/digest/digest_state.ts";
import { parseLogFileName } from "../core/aws/log_file_name.ts";
import { isLogFileKey } from "../core/aws/s3_layout.ts";
import { digestFacts } from "../sources/digest_facts.ts";
import type { DigestStore } from "../sources/digest_store.ts";
import type { GzipHash } from "../sources/hash_pool.ts";
import { hashGzip } from "../sources/hash_worker.ts";
import { mapOrdered } from "../sources/ordered_map.ts";
import type { PublicKeyRing } from "../sources/public_key_ring.ts";
import { Semaphore } from "../sources/semaphore.ts";

/** Options of {@link validateUnit}. */
export interface ValidateUnitOptions {
  range: { from: number; to: number };
  /** The run's time: log files delivered shortly before it may still await their digest. */
  now: number;
  keys: PublicKeyRing;
  /** Reads in flight at once (shared by the units that run at the same time). */
  parallelism: number;
  /** The bound on reads; one per run (default: a new one of `parallelism`). */
  reads?: Semaphore;
  /** Gunzip + SHA-256 of a log file (a worker pool; in this thread when absent). */
  hash?: (gzip: Uint8Array) => Promise<GzipHash>;
  /** Receives every file's result, in a stable order: digests, then log files. */
  emit(result: FileResult): Promise<void>;
  /** A file could not be read (not a missing file: a denied or failing read); the run goes on. */
  onReadError(key: string, error: unknown): Promise<void>;
}

/** What {@link prepareUnit} found: the digests' and the uncovered log files' results, and the log files to hash. */
export interface PreparedUnit {
  results: FileResult[];
  named: Map<string, NamedLog>;
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

async function readFacts(store: DigestStore, unit: DigestUnit, options: ValidateUnitOptions, reads: Semaphore) {
  const window = digestWindow(options.range);
  const inWindow = (key: string) => {
    const end = parseDigestKey(key)?.end;
    return end !== undefined && end >= window.from && end <= window.to;
  };
  const facts: DigestFacts[] = [];
  const keys = listed(store, digestPrefixesFor(options.range, unit), inWindow);
  for await (
    const f of mapOrdered(keys, options.parallelism * 4, async (key) => {
      let raw;
      try {
        raw = await reads.run(() => store.readDigest(key));
      } catch (error) {
        await options.onReadError(key, error);
        return undefined;
      }
      // Not caught: a key source that fails (ListPublicKeys denied) fails every digest, so it ends the run.
      return await digestFacts(key, raw, options.keys);
    })
  ) if (f) facts.push(f);
  return facts;
}

/** Lists and judges a unit's digests and lists its log files; nothing is emitted yet. */
export async function prepareUnit(
  store: DigestStore,
  unit: DigestUnit,
  options: ValidateUnitOptions,
): Promise<PreparedUnit> {
  const reads = options.reads ?? new Semaphore(options.parallelism);
  const facts = await readFacts(store, unit, options, reads);
  const { results, trusted } = judgeDigests(facts, digestWindow(options.range));
  const named = namedLogs(trusted);
  const namedByUntrusted = logsNamedByUntrusted(facts, named);
  const uncovered = { coveredUntil: coveredUntil(trusted, options.now), namedByUntrusted, now: options.now };
  for await (const key of listed(store, logPrefixesFor(options.range, unit), isLogFileKey)) {
    if (named.has(key)) continue;
    const delivered = parseLogFileName(nameOf(key))?.delivered ?? 0;
    if (delivered < options.range.from || delivered > options.range.to) continue;
    results.push(uncoveredLogResult(key, delivered, uncovered));
  }
  return { results, named };
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** Emits a prepared unit's results, then hashes the named log files and emits theirs. */
export async function finishUnit(store: DigestStore, prepared: PreparedUnit, options: ValidateUnitOptions) {
  for (const r of prepared.results) await options.emit(r);
  const reads = options.reads ?? new Semaphore(options.parallelism);
  // Reads are bounded by `reads`; files read wait for the hashing behind them, in a window of 4x the parallelism.
  const checks = mapOrdered(toAsync(prepared.named.values()), options.parallelism * 4, async (log) => {
    try {
      const bytes = await reads.run(() => store.readLog(log.key));
      if (!bytes) return namedLogResult(log, { found: false });
      if ("issue" in bytes) return namedLogResult(log, { found: true, error: bytes.issue });
      const hashed = options.hash ? await options.hash(bytes) : hashGzip(bytes);
      return namedLogResult(
        log,
        hashed.ok ? { found: true, sha256: hashed.sha256 } : { found: true, error: hashed.issue },
      );
    } catch (error) {
      await options.onReadError(log.key, error);
      return undefined;
    }
  });
  for await (const r of checks) if (r) await options.emit(r);
}

/** Validates one unit; results go to `options.emit` digests first, then log files. */
export async function validateUnit(store: DigestStore, unit: DigestUnit, options: ValidateUnitOptions): Promise<void> {
  await finishUnit(store, await prepareUnit(store, unit, options), options);
}
