// deno-lint-ignore-file no-console
/**
 * Should download's transfers run in Web Workers or in one isolate? Downloads the
 * same objects from fauxqs (started in a separate process, so this process is only
 * the client) with the real download code, in one isolate and spread over workers,
 * alternating the modes, and prints files/s for each.
 *
 * Run: deno task bench-download-workers [--files 800] [--records 80000] [--parallelism 50] [--rounds 3]
 */
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { corpusShape, generateCorpus } from "./gen_corpus.ts";
import { uploadTree } from "./s3_upload.ts";
import { startFauxqsProcess } from "./fauxqs_process.ts";
import { downloadShare } from "./bench_download_workers_worker.ts";
import type { S3Object } from "../src/sources/s3_objects.ts";

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}
const files = Number(flag("files", "800"));
const records = Number(flag("records", "80000"));
const parallelism = Number(flag("parallelism", "50"));
const rounds = Number(flag("rounds", "3"));

// fauxqs in its own process.
const fauxqs = await startFauxqsProcess();
const endpoint = fauxqs.endpoint;

const client = new S3Client({
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: "AKIABENCH", secretAccessKey: "bench" },
});
const source = await Deno.makeTempDir({ prefix: "trailscraper-bench-src-" });
generateCorpus(source, { ...corpusShape(files, records), extras: false });
await uploadTree(client, "trail-logs", source);
const objects: S3Object[] = [];
let token: string | undefined;
do {
  const page = await client.send(
    new ListObjectsV2Command({ Bucket: "trail-logs", ...(token ? { ContinuationToken: token } : {}) }),
  );
  for (const o of page.Contents ?? []) objects.push({ key: o.Key!, size: o.Size ?? 0 });
  token = page.NextContinuationToken;
} while (token);
const mb = objects.reduce((n, o) => n + o.size, 0) / 1e6;
console.log(`${objects.length} objects, ${mb.toFixed(1)} MB, fauxqs in another process at ${endpoint}`);

const workerUrl = new URL("./bench_download_workers_worker.ts", import.meta.url);
async function withWorkers(count: number, dir: string): Promise<void> {
  const shares = Array.from({ length: count }, (_, w) => objects.filter((_, i) => i % count === w));
  await Promise.all(shares.map((share) =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerUrl, { type: "module" });
      worker.onmessage = () => (worker.terminate(), resolve());
      worker.onerror = (e) => (e.preventDefault(), worker.terminate(), reject(new Error(e.message)));
      worker.postMessage({ endpoint, objects: share, dir, parallelism: Math.ceil(parallelism / count) });
    })
  ));
}

const modes: [string, (dir: string) => Promise<unknown>][] = [
  ["one isolate", (dir) => downloadShare({ endpoint, objects, dir, parallelism })],
  ["2 workers  ", (dir) => withWorkers(2, dir)],
];
for (let round = 1; round <= rounds; round++) {
  for (const [name, run] of modes) {
    const dir = await Deno.makeTempDir({ prefix: "trailscraper-bench-dl-" });
    const start = performance.now();
    await run(dir);
    const seconds = (performance.now() - start) / 1000;
    await Deno.remove(dir, { recursive: true });
    console.log(
      `round ${round}, ${name} (${parallelism} in flight): ${seconds.toFixed(2)} s, ${
        (objects.length / seconds).toFixed(0)
      } files/s`,
    );
  }
}
client.destroy();
await fauxqs.stop();
await Deno.remove(source, { recursive: true });
