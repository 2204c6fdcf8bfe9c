// deno-lint-ignore-file no-console
/**
 * Writes a deterministic (seeded), realistic CloudTrail log tree: the S3 key layout
 * mirrored locally, for account and organization trails, several accounts, regions
 * and days, plus digest files, files that are not log files, corrupt files of every
 * kind, an overlapping second trail (the same events, same eventIDs) and late
 * deliveries. Tests call generateCorpus(); benchmarks run it from the command line.
 *
 * Run: deno run -A scripts/gen_corpus.ts DIR [--files 2020] [--records 1000000] [--seed 7] [--wide]
 * (--wide: 32 calls over 13 services instead of the 20 calls of the sample logs)
 */
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { synthRecords } from "./synth_records.ts";

/** Options of {@link generateCorpus}. */
export interface CorpusOptions {
  seed?: number;
  accounts?: string[];
  regions?: string[];
  /** Organization ID: the org-trail layout `AWSLogs/<org>/<account>/...`; none: account layout. */
  orgId?: string;
  /** Key prefix before `AWSLogs/` (with its trailing slash). */
  prefix?: string;
  /** First delivery day (UTC midnight, epoch ms) and how many days. */
  start?: number;
  days?: number;
  /** Log files per account, region and day, and records per log file. */
  filesPerDay?: number;
  recordsPerFile?: number;
  /** Role names (in each record's own account) used by most records. */
  roles?: string[];
  /** Add digests, non-log files, corrupt files, an overlapping trail and late deliveries. */
  extras?: boolean;
  /** Which calls the records make (see synthRecords). */
  calls?: "classic" | "wide";
}

/** One file written, with what it is. */
export interface CorpusFile {
  path: string;
  kind: "log" | "overlap" | "late" | "digest" | "not-a-log" | "corrupt";
  records: number;
  /** For corrupt files: what is wrong. */
  issue?: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${
    pad(d.getUTCMinutes())
  }Z`;
}

function dayFolder(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

/** Writes the corpus below `root` and lists every file. */
export function generateCorpus(root: string, options: CorpusOptions = {}): CorpusFile[] {
  const seed = options.seed ?? 7;
  const accounts = options.accounts ?? ["111122223333", "444455556666"];
  const regions = options.regions ?? ["us-east-1", "eu-west-1"];
  const start = options.start ?? Date.UTC(2024, 2, 1);
  const days = options.days ?? 2;
  const filesPerDay = options.filesPerDay ?? 3;
  const perFile = options.recordsPerFile ?? 20;
  const roleNames = options.roles ?? ["app", "ci-deploy"];
  const rolesOf = (account: string) => roleNames.map((r) => `arn:aws:iam::${account}:role/${r}`);
  const base = (account: string, org = options.orgId) =>
    `${options.prefix ?? ""}AWSLogs/${org ? `${org}/` : ""}${account}`;
  const files: CorpusFile[] = [];
  const write = (relative: string, bytes: Uint8Array, file: Omit<CorpusFile, "path">) => {
    const path = join(root, relative);
    Deno.mkdirSync(dirname(path), { recursive: true });
    Deno.writeFileSync(path, bytes);
    files.push({ path, ...file });
  };
  const gz = (records: unknown[]) => gzipSync(new TextEncoder().encode(JSON.stringify({ Records: records })));
  let fileNo = 0;
  const spacing = 86_400_000 / filesPerDay;
  let firstLog: { records: Record<string, unknown>[]; account: string; region: string; delivered: number } | undefined;

  for (let day = 0; day < days; day++) {
    for (const account of accounts) {
      for (const region of regions) {
        for (let f = 0; f < filesPerDay; f++) {
          // Delivered 5 to 15 minutes after its events, spread over the day.
          const delivered = start + day * 86_400_000 + Math.floor(spacing * f) + 15 * 60_000;
          const eventStart = delivered - 15 * 60_000;
          const records = [...synthRecords(perFile, {
            seed: seed * 1_000_003 + fileNo,
            accounts: [account],
            regions: [region],
            roles: rolesOf(account),
            start: eventStart,
            stepMs: Math.max(1, Math.floor(10 * 60_000 / perFile)),
            calls: options.calls ?? "classic",
          })];
          const name = `${account}_CloudTrail_${region}_${stamp(delivered)}_${
            (seed * 7919 + fileNo).toString(36)
          }.json.gz`;
          write(`${base(account)}/CloudTrail/${region}/${dayFolder(delivered)}/${name}`, gz(records), {
            kind: "log",
            records: records.length,
          });
          firstLog ??= { records, account, region, delivered };
          fileNo++;
        }
      }
    }
  }

  if (options.extras !== false && firstLog) {
    const { records, account, region, delivered } = firstLog;
    const folder = `${base(account)}/CloudTrail/${region}/${dayFolder(delivered)}`;
    const logName = (ms: number, id: string) => `${account}_CloudTrail_${region}_${stamp(ms)}_${id}.json.gz`;
    // A second trail (account layout, other prefix) delivering the same events with the same eventIDs.
    write(
      `overlap/AWSLogs/${account}/CloudTrail/${region}/${dayFolder(delivered)}/${
        logName(delivered + 60_000, "Overlap1")
      }`,
      gz(records),
      { kind: "overlap", records: records.length },
    );
    // A late delivery: events 50 minutes older than the file's stamp.
    const late = [
      ...synthRecords(5, {
        seed: seed + 99,
        accounts: [account],
        regions: [region],
        roles: rolesOf(account),
        start: delivered - 50 * 60_000 + 1,
      }),
    ];
    write(`${folder}/${logName(delivered + 120_000, "Late1")}`, gz(late), { kind: "late", records: late.length });
    // Not log files.
    write(
      `${base(account)}/CloudTrail-Digest/${region}/${
        dayFolder(delivered)
      }/${account}_CloudTrail-Digest_${region}_trail_${region}_${stamp(delivered)}.json.gz`,
      gz([]),
      { kind: "digest", records: 0 },
    );
    write(`${folder}/${logName(delivered + 180_000, "Partial1")}.tmp`, gz(records).slice(0, 50), {
      kind: "not-a-log",
      records: 0,
    });
    write(`${base(account)}/README.txt`, new TextEncoder().encode("not a log\n"), { kind: "not-a-log", records: 0 });
    // Corrupt log files, one of each kind.
    const corrupt: [string, Uint8Array][] = [
      ["not gzip data", new TextEncoder().encode('{"Records": []}')],
      ["truncated gzip data", gz(records).slice(0, 200)],
      ["invalid JSON", gzipSync(new TextEncoder().encode('{"Records": [{"eventName": '))],
      ['no "Records" array', gzipSync(new TextEncoder().encode('{"Items": []}'))],
      ["empty file", new Uint8Array()],
    ];
    corrupt.forEach(([issue, bytes], i) =>
      write(`${folder}/${logName(delivered + 240_000 + i * 60_000, `Corrupt${i}`)}`, bytes, {
        kind: "corrupt",
        records: 0,
        issue,
      })
    );
  }
  return files;
}

/** Accounts, regions, days and per-file counts that give about `files` log files holding `records` records. */
export function corpusShape(files: number, records: number): Required<
  Pick<CorpusOptions, "accounts" | "regions" | "days" | "filesPerDay" | "recordsPerFile">
> {
  const accounts = ["111122223333", "444455556666"];
  const regions = ["us-east-1", "eu-west-1"];
  const days = Math.max(1, Math.round(files / (accounts.length * regions.length * 101)));
  const filesPerDay = Math.ceil(files / (accounts.length * regions.length * days));
  const recordsPerFile = Math.round(records / (accounts.length * regions.length * days * filesPerDay));
  return { accounts, regions, days, filesPerDay, recordsPerFile };
}

if (import.meta.main) {
  const dir = Deno.args.find((a) => !a.startsWith("--"));
  const flag = (name: string, fallback: number) => {
    const i = Deno.args.indexOf(`--${name}`);
    return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
  };
  if (!dir) {
    console.error("usage: gen_corpus.ts DIR [--files N] [--records N] [--seed N] [--org o-id] [--wide]");
    Deno.exit(2);
  }
  const files = flag("files", 2020);
  const records = flag("records", 1_000_000);
  const orgIndex = Deno.args.indexOf("--org");
  const written = generateCorpus(dir, {
    seed: flag("seed", 7),
    ...corpusShape(files, records),
    extras: false,
    calls: Deno.args.includes("--wide") ? "wide" : "classic",
    ...(orgIndex >= 0 ? { orgId: Deno.args[orgIndex + 1]! } : {}),
  });
  const bytes = written.reduce((n, f) => n + Deno.statSync(f.path).size, 0);
  console.error(
    `wrote ${written.length} files, ${written.reduce((n, f) => n + f.records, 0)} records, ${
      (bytes / 1e6).toFixed(0)
    } MB gz to ${dir}`,
  );
}
