/**
 * A trail bucket for `sync` tests: an account trail, an organization trail and a
 * prefixed trail in one bucket whose events overlap (the same eventIDs), plus a
 * digest, a file that is not a log, a corrupt log file and records without eventID.
 */
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { generateCorpus } from "../../scripts/gen_corpus.ts";
import { type S3Peer, startS3Peer } from "./s3_peer.ts";

export const SYNC_BUCKET = "trail-logs";
export const ORG = "o-exampleorg1";

/** What the bucket holds, from the files as written. */
export interface SyncBucket {
  root: string;
  /**
   * Every distinct event as `<account>/<region>/<date> <eventID>` (a record without eventID by its text): events are
   * de-duplicated within their partition. (The generated trails reuse eventIDs across accounts; real ones do not.)
   */
  keys: Set<string>;
  /** Distinct events per `account/region/date` partition. */
  partitions: Map<string, number>;
}

/** Writes the trees below a temp dir and returns what a sync of the whole bucket must hold. */
export async function makeSyncBucket(
  options: { filesPerDay?: number; recordsPerFile?: number } = {},
): Promise<SyncBucket> {
  const root = await Deno.makeTempDir({ prefix: "trailscraper-sync-bucket-" });
  const shape = {
    days: 2,
    filesPerDay: options.filesPerDay ?? 3,
    recordsPerFile: options.recordsPerFile ?? 20,
    extras: false,
  };
  const all = [
    ...generateCorpus(root, { ...shape, accounts: ["111122223333", "444455556666"] }),
    ...generateCorpus(root, { ...shape, accounts: ["111122223333", "777788889999"], orgId: ORG }),
    ...generateCorpus(root, { ...shape, accounts: ["111122223333"], prefix: "other/" }),
  ];
  const keys = new Set<string>();
  const partitions = new Map<string, number>();
  const { gunzipSync } = await import("node:zlib");
  const count = (records: Record<string, unknown>[]) => {
    for (const r of records) {
      const p = `${r.recipientAccountId}/${r.awsRegion}/${String(r.eventTime).slice(0, 10)}`;
      const key = `${p} ${typeof r.eventID === "string" ? r.eventID : JSON.stringify(r)}`;
      if (keys.has(key)) continue;
      keys.add(key);
      partitions.set(p, (partitions.get(p) ?? 0) + 1);
    }
  };
  for (const f of all) {
    count(JSON.parse(new TextDecoder().decode(gunzipSync(Deno.readFileSync(f.path)))).Records);
  }
  const day = "AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01";
  const put = (relative: string, bytes: Uint8Array) => {
    Deno.mkdirSync(dirname(join(root, relative)), { recursive: true });
    Deno.writeFileSync(join(root, relative), bytes);
  };
  const gz = (records: unknown[]) => gzipSync(new TextEncoder().encode(JSON.stringify({ Records: records })));
  // Records without an eventID, twice in one file and again in another: written once.
  const anonymous = {
    eventVersion: "1.08",
    eventTime: "2024-03-01T12:00:00Z",
    eventSource: "s3.amazonaws.com",
    eventName: "GetObject",
    awsRegion: "eu-west-1",
    recipientAccountId: "111122223333",
  };
  put(`${day}/111122223333_CloudTrail_eu-west-1_20240301T1200Z_NoId1.json.gz`, gz([anonymous, anonymous]));
  put(`${day}/111122223333_CloudTrail_eu-west-1_20240301T1201Z_NoId2.json.gz`, gz([anonymous]));
  count([anonymous]);
  put(`${day}/111122223333_CloudTrail_eu-west-1_20240301T1202Z_Corrupt1.json.gz`, gz([anonymous]).slice(0, 20));
  put(
    "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/03/01/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20240301T1200Z.json.gz",
    gz([]),
  );
  put("AWSLogs/111122223333/README.txt", new TextEncoder().encode("not a log\n"));
  return { root, keys, partitions };
}

/**
 * Every line of the archive below `dir`: the key of each record (as {@link SyncBucket.keys}), and lines per partition.
 * `tolerant` passes over lines that do not parse (right after a kill, before the next run cuts them).
 */
export async function readArchive(
  dir: string,
  options: { tolerant?: boolean } = {},
): Promise<{ keys: string[]; partitions: Map<string, number> }> {
  const { gunzipSync } = await import("node:zlib");
  const keys: string[] = [];
  const partitions = new Map<string, number>();
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const path = join(d, e.name);
      if (e.isDirectory) await walk(path);
      else if (/\.jsonl(\.gz)?$/.test(e.name)) {
        const bytes = Deno.readFileSync(path);
        const text = new TextDecoder().decode(e.name.endsWith(".gz") && bytes.length ? gunzipSync(bytes) : bytes);
        const m = /account=([^/]+)\/region=([^/]+)\/date=([^/]+)\//.exec(path)!;
        for (const line of text.split("\n").filter((l) => l !== "")) {
          let r: Record<string, unknown>;
          try {
            r = JSON.parse(line);
          } catch (e) {
            if (options.tolerant) continue; // a killed run's torn tail, which the next start cuts off
            throw e;
          }
          const p = `${m[1]}/${m[2]}/${m[3]}`;
          keys.push(`${p} ${typeof r.eventID === "string" ? r.eventID : JSON.stringify(r)}`);
          partitions.set(p, (partitions.get(p) ?? 0) + 1);
        }
      }
    }
  };
  await walk(dir).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  return { keys, partitions };
}

/** A config for both trails of the bucket (the root one, with the organization trail, and `other/`) in `dir`. */
export async function bothTrailsConfig(dir: string, settings: Record<string, unknown> = {}): Promise<string> {
  const path = join(dir, "sync.jsonc");
  await Deno.writeTextFile(
    path,
    JSON.stringify({ ...settings, trails: [{ bucket: SYNC_BUCKET }, { bucket: SYNC_BUCKET, prefix: "other/" }] }),
  );
  return path;
}

/**
 * The arguments of a `sync` of `source` (`["--bucket", B]`, `["--config", F]`, with options) into `events`, with
 * its state DB in `dir`, against the S3 peer at `endpoint`.
 */
export function syncArgs(source: string[], dir: string, endpoint: string, events = join(dir, "events")): string[] {
  return ["sync", ...source, "--events-dir", events, "--state-db", join(dir, "s.db"), "--endpoint-url", endpoint];
}

/** What {@link withSyncPeer} gives its test: the bucket's tree, the S3 peer holding it, an empty work folder. */
export interface SyncPeerRun {
  bucket: SyncBucket;
  peer: S3Peer;
  dir: string;
}

/** Runs `test` against a fresh S3 peer holding a sync bucket made with `options`, and stops the peer afterwards. */
export async function withSyncPeer(
  options: Parameters<typeof makeSyncBucket>[0],
  test: (run: SyncPeerRun) => Promise<void>,
): Promise<void> {
  const bucket = await makeSyncBucket(options);
  const peer = await startS3Peer();
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    await test({ bucket, peer, dir: await Deno.makeTempDir() });
  } finally {
    await peer.stop();
  }
}
