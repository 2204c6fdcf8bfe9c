// deno-lint-ignore-file no-console
/**
 * CPU of the sync step's copying path on a corpus: the top-level key scanner and the per-document
 * string check (`jsonStringsValid`), against a full `JSON.parse` of each document for scale. In one
 * thread, so the numbers are CPU time (process.cpuUsage), not wall time on a loaded machine.
 *
 * Run: deno run --config deno.dev.json -A scripts/bench_sync_scan.ts <corpus dir> [--old <old record_scan.ts>]
 */
import { gunzipSync } from "node:zlib";
import process from "node:process";
import { jsonStringsValid, scanRecord } from "../src/core/records/record_scan.ts";
import { recordBounds } from "../src/core/records/role_record_slices.ts";
import { logFilesBelow } from "./corpus_dir.ts";

type Scan = (text: string, start: number, end: number) => unknown;

const dir = Deno.args[0];
if (!dir) throw new Error("usage: bench_sync_scan.ts <corpus dir> [--old <record_scan.ts>]");
const oldAt = Deno.args.indexOf("--old");
const old = oldAt >= 0 ? (await import(Deno.args[oldAt + 1]!)).scanRecord as Scan : undefined;
const texts = (await logFilesBelow(dir)).map((f) => new TextDecoder().decode(gunzipSync(Deno.readFileSync(f))));
const megabytes = texts.reduce((n, t) => n + t.length, 0) / 1e6;

function cpu(label: string, run: () => void) {
  const best = [0, 1, 2].map(() => {
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1e6;
  }).sort((a, b) => a - b)[0]!;
  console.log(`${label.padEnd(40)} ${best.toFixed(3)} s CPU (best of 3), ${(megabytes / best).toFixed(0)} MB/s`);
}

const scanAll = (scan: Scan, check: boolean) => () => {
  for (const text of texts) {
    if (check && !jsonStringsValid(text)) throw new Error("corpus file refused");
    for (const [s, e] of recordBounds(text)!) if (!scan(text, s, e)) throw new Error("record refused");
  }
};
console.log(`${texts.length} documents, ${megabytes.toFixed(0)} MB of JSON`);
if (old) cpu("old scanner", scanAll(old, false));
cpu("scanner (checks commas, colons, closes)", scanAll(scanRecord, false));
cpu("scanner + jsonStringsValid", scanAll(scanRecord, true));
cpu("JSON.parse of each document", () => texts.forEach((t) => JSON.parse(t)));
