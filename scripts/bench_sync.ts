// deno-lint-ignore-file no-console
/**
 * `sync` against `download` of the same files, side by side in one run, both from
 * the bundle with the binary's permission and V8 flags, against fauxqs running in
 * another process: wall time (the ratio is the target: at most 1.5x), files/s,
 * events/s and peak RSS at several `download_workers`; sync with its parsing in Web
 * Workers and in one isolate; a rerun with nothing new (GETs and LISTs counted by a
 * proxy); and what de-duplication costs per million events (state DB on disk).
 *
 * Run: deno task bench-sync [--dir /tmp/corpus] [--files 2020] [--records 1000000] [--workers 10,50]
 */
import { S3Client } from "@aws-sdk/client-s3";
import { buildBundle } from "./bundle_build.ts";
import { startFauxqsProcess } from "./fauxqs_process.ts";
import { corpusFiles } from "./corpus_dir.ts";
import { corpusShape } from "./gen_corpus.ts";
import { measureCommand } from "./measure.ts";
import { uploadTree } from "./s3_upload.ts";

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}

const dir = flag("dir", "") || await Deno.makeTempDir({ prefix: "trailscraper-corpus-" });
const levels = flag("workers", "10,50").split(",").map(Number);
const shape = corpusShape(Number(flag("files", "2020")), Number(flag("records", "1000000")));
const logs = await corpusFiles(dir, shape);
const bytes = logs.reduce((n, p) => n + Deno.statSync(p).size, 0);

const fauxqs = await startFauxqsProcess();
const env = { AWS_ACCESS_KEY_ID: "AKIABENCH", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1", NO_COLOR: "1" };
const client = new S3Client({
  endpoint: fauxqs.endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
});
console.log(`uploading ${logs.length} files (${(bytes / 1e6).toFixed(0)} MB gz) to fauxqs at ${fauxqs.endpoint} ...`);
await uploadTree(client, "trail-logs", dir);
client.destroy();
const bundle = await buildBundle(await Deno.makeTempDir({ prefix: "trailscraper-bench-bundle-" }));

const downloadArgs = (out: string, n: number) => [
  "download",
  "--bucket",
  "trail-logs",
  ...shape.accounts.flatMap((a) => ["--account-id", a]),
  ...shape.regions.flatMap((r) => ["--region", r]),
  "--from",
  "2024-03-01",
  "--to",
  new Date(Date.UTC(2024, 2, 1) + shape.days * 86_400_000).toISOString(),
  "--log-dir",
  out,
  "--parallelism",
  String(n),
  "--endpoint-url",
  fauxqs.endpoint,
];
const syncArgs = (out: string, n: number, endpoint = fauxqs.endpoint) => [
  "sync",
  "--bucket",
  "trail-logs",
  "--events-dir",
  `${out}/events`,
  "--state-db",
  `${out}/state.db`,
  "--download-workers",
  String(n),
  "--endpoint-url",
  endpoint,
];
const runBundle = (args: string[]) => measureCommand(Deno.execPath(), [...bundle.runArgs(), ...args], { env });
const fresh = () => Deno.makeTempDir({ prefix: "trailscraper-bench-out-" });
const last = (text: string) => text.trim().split("\n").pop();

console.log(`corpus: ${logs.length} files, ${(bytes / 1e6).toFixed(0)} MB gz; the bundle with the binary's flags`);
let lastSync = "";
for (const n of levels) {
  const dl = await fresh();
  const download = await runBundle(downloadArgs(dl, n));
  const out = await fresh();
  const sync = await runBundle(syncArgs(out, n));
  const one = await fresh();
  const inThread = await runBundle([...syncArgs(one, n), "--in-thread"]);
  const events = Number(/([\d,]+) events written/.exec(last(sync.stderr) ?? "")?.[1]?.replaceAll(",", "") ?? 0);
  console.log(`download_workers ${n}:`);
  console.log(
    `  download:            ${download.seconds.toFixed(2)} s, ${
      (logs.length / download.seconds).toFixed(0)
    } files/s, ` +
      `peak RSS ${download.peakMb.toFixed(0)} MB`,
  );
  console.log(
    `  sync (Web Workers):  ${sync.seconds.toFixed(2)} s = ${
      (sync.seconds / download.seconds).toFixed(2)
    }x download, ` +
      `${(logs.length / sync.seconds).toFixed(0)} files/s, ${(events / sync.seconds).toFixed(0)} events/s, ` +
      `CPU ${sync.cpuSeconds.toFixed(1)} s, peak RSS ${sync.peakMb.toFixed(0)} MB`,
  );
  console.log(
    `  sync (one isolate):  ${inThread.seconds.toFixed(2)} s = ${(inThread.seconds / download.seconds).toFixed(2)}x ` +
      `download, CPU ${inThread.cpuSeconds.toFixed(1)} s, peak RSS ${inThread.peakMb.toFixed(0)} MB`,
  );
  console.log(`  ${last(sync.stderr)}`);
  const stateBytes = Deno.statSync(`${out}/state.db`).size +
    (await Deno.stat(`${out}/state.db-wal`).then((s) => s.size, () => 0));
  console.log(
    `  state DB: ${(stateBytes / 1e6).toFixed(1)} MB for ${events} events = ${
      (stateBytes / events * 1e6 / 1e6).toFixed(0)
    } MB per million`,
  );
  lastSync = out;
  for (const d of [dl, one]) await Deno.remove(d, { recursive: true });
}

// A rerun with nothing new, through a proxy that counts requests.
const counted: string[] = [];
const proxy = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
  const url = new URL(request.url);
  counted.push(`${request.method} ${url.search.includes("list-type") ? "LIST" : "GET"} ${url.pathname}`);
  const headers = new Headers(request.headers);
  headers.delete("host");
  return await fetch(fauxqs.endpoint + url.pathname + url.search, { method: request.method, headers });
});
const rerun = await runBundle(syncArgs(lastSync, 50, `http://127.0.0.1:${(proxy.addr as Deno.NetAddr).port}`));
await proxy.shutdown();
const lists = counted.filter((c) => c.includes(" LIST ")).length;
const gets = counted.filter((c) => c.startsWith("GET GET")).length;
const folders = shape.accounts.length * shape.regions.length;
console.log(
  `rerun with nothing new: ${rerun.seconds.toFixed(2)} s, ${gets} GETs, ${lists} LISTs ` +
    `(${folders} account/region folders, ${folders * shape.days} day folders) - ${last(rerun.stderr)}`,
);
await Deno.remove(lastSync, { recursive: true });
await Deno.remove(bundle.dir, { recursive: true });
await fauxqs.stop();
