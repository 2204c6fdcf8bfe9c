/**
 * The `sync` configuration: gocloudtrail's JSON-with-comments file, its defaults,
 * and what each key does here. Unknown keys and wrong types are issues that name the
 * key; gocloudtrail keys that `sync` has no use for are accepted with a note.
 */
import { parse, type ParseError } from "jsonc-parser";
import { jsoncErrorText } from "../util/jsonc_error_text.ts";
import { didYouMean } from "../util/did_you_mean.ts";

/** A trail: where its logs are. */
export interface SyncTrail {
  name: string;
  bucket: string;
  prefix: string;
}

/** Output compression of the archive. */
export type SyncCompression = "none" | "gzip";

/** The settings `sync` runs with. */
export interface SyncConfig {
  downloadWorkers: number;
  /** Web Workers that gunzip, parse and partition; 0 picks the number of cores. */
  processWorkers: number;
  listBatchSize: number;
  eventsPerFile: number;
  stateDb: string;
  eventsDir: string;
  progressInterval: number;
  compress: SyncCompression;
  trails: SyncTrail[];
}

/** gocloudtrail's defaults (and ours for `compress`). */
export const SYNC_DEFAULTS: Omit<SyncConfig, "trails"> = {
  downloadWorkers: 50,
  processWorkers: 0,
  listBatchSize: 1000,
  eventsPerFile: 10_000,
  stateDb: "state.db",
  eventsDir: "events",
  progressInterval: 10,
  compress: "none",
};

type NumberKey = "downloadWorkers" | "processWorkers" | "listBatchSize" | "eventsPerFile" | "progressInterval";

/** The whole-number keys: the setting, the least value, the most (Web Workers: as `--workers`, cli/option_parsers.ts). */
const NUMBER_KEYS: Record<string, [NumberKey, number, number]> = {
  download_workers: ["downloadWorkers", 1, Number.MAX_SAFE_INTEGER],
  process_workers: ["processWorkers", 0, 256],
  list_batch_size: ["listBatchSize", 1, Number.MAX_SAFE_INTEGER],
  events_per_file: ["eventsPerFile", 1, Number.MAX_SAFE_INTEGER],
  progress_interval: ["progressInterval", 1, Number.MAX_SAFE_INTEGER],
};
const STRING_KEYS: Record<string, "stateDb" | "eventsDir"> = { state_db: "stateDb", events_dir: "eventsDir" };

/** gocloudtrail keys accepted and not used, with why. */
const IGNORED_KEYS: Record<string, string> = {
  download_queue_size: "queues are bounded by download_workers and the worker pool",
  process_queue_size: "queues are bounded by download_workers and the worker pool",
  bloom_file: "duplicates are found exactly, by eventID in the state DB, not with a bloom filter",
  bloom_expected_items: "duplicates are found exactly, by eventID in the state DB, not with a bloom filter",
  bloom_false_positive: "duplicates are found exactly, by eventID in the state DB, not with a bloom filter",
  state_save_interval:
    "the state is saved with every batch of files (at most 32, or 0.5 s), in one transaction with the ledger of " +
    "the lines appended",
  jsonl_flush_interval: "output is flushed (fsync) with every batch of files, before the transaction that counts it",
  max_idle_conns: "the AWS SDK's HTTP pool is used as it is",
  max_idle_conns_per_host: "the AWS SDK's HTTP pool is used as it is",
  max_conns_per_host: "the AWS SDK's HTTP pool is used as it is",
  idle_conn_timeout: "the AWS SDK's HTTP pool is used as it is",
  dial_timeout: "the AWS SDK's HTTP pool is used as it is",
  keep_alive: "the AWS SDK's HTTP pool is used as it is",
  client_timeout: "the AWS SDK's HTTP pool is used as it is",
};

/** Every key a config file may have. */
const CONFIG_KEYS = [
  ...Object.keys(NUMBER_KEYS),
  ...Object.keys(STRING_KEYS),
  "compress",
  "trails",
  ...Object.keys(IGNORED_KEYS),
];

/** A parsed config and the notes about ignored keys, or the issue that names what is wrong. */
export type ParsedSyncConfig =
  | { ok: true; config: SyncConfig; notes: string[] }
  | { ok: false; issue: string };

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length} column ${before.at(-1)!.length + 1}`;
}

function unknownKey(key: string, where: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  return `unknown key "${key}"${where}${hint ? ` (did you mean "${hint}"?)` : ""}`;
}

function parseTrail(value: unknown, i: number): SyncTrail | string {
  const where = `trails[${i}]`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `${where} must be an object`;
  const trail = value as Record<string, unknown>;
  for (const key of Object.keys(trail)) {
    if (!["name", "bucket", "prefix"].includes(key)) {
      return unknownKey(key, ` in ${where}`, ["name", "bucket", "prefix"]);
    }
  }
  if (typeof trail.bucket !== "string" || trail.bucket === "") return `${where}.bucket must be a non-empty string`;
  for (const key of ["name", "prefix"]) {
    if (trail[key] !== undefined && typeof trail[key] !== "string") return `${where}.${key} must be a string`;
  }
  return {
    name: (trail.name as string | undefined) ?? trail.bucket,
    bucket: trail.bucket,
    prefix: (trail.prefix as string | undefined) ?? "",
  };
}

/** Parses a config file's text (JSON with comments and trailing commas). */
export function parseSyncConfig(text: string): ParsedSyncConfig {
  const errors: ParseError[] = [];
  const json: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const e = errors[0]!;
    return { ok: false, issue: `${jsoncErrorText(e.error, text, e.offset)} at ${lineColumn(text, e.offset)}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, issue: "not a JSON object" };
  }
  const config: SyncConfig = { ...SYNC_DEFAULTS, trails: [] };
  const notes: string[] = [];
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (key in NUMBER_KEYS) {
      const [setting, min, max] = NUMBER_KEYS[key]!;
      // Past max first: 1e400 parses to Infinity, which is no integer (and JSON.stringify calls it null).
      if (typeof value === "number" && value > max) {
        return { ok: false, issue: `"${key}" must be a whole number of at most ${max}, got ${value}` };
      }
      if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
        return { ok: false, issue: `"${key}" must be a whole number of at least ${min}, got ${JSON.stringify(value)}` };
      }
      config[setting] = value;
    } else if (key in STRING_KEYS) {
      if (typeof value !== "string" || value === "") return { ok: false, issue: `"${key}" must be a non-empty string` };
      config[STRING_KEYS[key]!] = value;
    } else if (key === "compress") {
      if (value !== "none" && value !== "gzip") return { ok: false, issue: `"compress" must be "none" or "gzip"` };
      config.compress = value;
    } else if (key === "trails") {
      if (!Array.isArray(value)) return { ok: false, issue: `"trails" must be an array` };
      for (const [i, t] of value.entries()) {
        const trail = parseTrail(t, i);
        if (typeof trail === "string") return { ok: false, issue: trail };
        config.trails.push(trail);
      }
    } else if (key in IGNORED_KEYS) {
      notes.push(`"${key}" is not used: ${IGNORED_KEYS[key]}`);
    } else {
      return { ok: false, issue: unknownKey(key, "", CONFIG_KEYS) };
    }
  }
  return { ok: true, config, notes };
}

/** A config file for these trails with every default spelled out, commented (what `sync init` writes). */
export function renderSyncConfig(trails: SyncTrail[]): string {
  const d = SYNC_DEFAULTS;
  const trailLines = trails.map((t) =>
    `    { "name": ${JSON.stringify(t.name)}, "bucket": ${JSON.stringify(t.bucket)}, "prefix": ${
      JSON.stringify(t.prefix)
    } }`
  );
  return `{
  // trailscraper sync: gocloudtrail's format (JSON with comments). Every key also has a command-line flag.
  "download_workers": ${d.downloadWorkers}, // S3 downloads in flight
  "process_workers": ${d.processWorkers}, // Web Workers that gunzip, parse and partition (0 = one per core)
  "list_batch_size": ${d.listBatchSize}, // keys per S3 LIST page
  "events_per_file": ${d.eventsPerFile}, // lines per part-<n>.jsonl before the next part starts
  "state_db": ${JSON.stringify(d.stateDb)}, // SQLite: which files are done, the output ledger, seen eventIDs
  "events_dir": ${JSON.stringify(d.eventsDir)}, // account=<id>/region=<r>/date=<YYYY-MM-DD>/part-<n>.jsonl
  "progress_interval": ${d.progressInterval}, // seconds between progress lines on stderr
  "compress": ${JSON.stringify(d.compress)}, // "gzip" writes part-<n>.jsonl.gz
  "trails": [
${trailLines.join(",\n")}
  ]
}
`;
}
