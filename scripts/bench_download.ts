// deno-lint-ignore-file no-console
/**
 * Downloads a generated CloudTrail tree from fauxqs (a real S3 protocol server, in
 * this process, on 127.0.0.1) at several parallelism levels and prints files/s and
 * MB/s. Every run starts from an empty log dir.
 *
 * Run: deno task bench-download [--files 400] [--records 40000] [--parallelism 1,10,50]
 */
import { S3Client } from "@aws-sdk/client-s3";
import { startFauxqs } from "fauxqs";
import { PERMISSIONS, V8_FLAGS } from "./build_plan.ts";
import { corpusShape, generateCorpus } from "./gen_corpus.ts";
import { uploadTree } from "./s3_upload.ts";
import { measureCommand } from "./measure.ts";

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}

const files = Number(flag("files", "400"));
const records = Number(flag("records", "40000"));
const levels = flag("parallelism", "1,10,50").split(",").map(Number);
const main = new URL("../main.ts", import.meta.url).pathname;

const source = await Deno.makeTempDir({ prefix: "trailscraper-bench-src-" });
const shape = corpusShape(files, records);
const corpus = generateCorpus(source, { ...shape, extras: false });
const bytes = corpus.reduce((n, f) => n + Deno.statSync(f.path).size, 0);

const server = await startFauxqs({ port: 0, host: "127.0.0.1", logger: false });
const endpoint = `http://127.0.0.1:${server.port}`;
const credentials = { accessKeyId: "AKIABENCH", secretAccessKey: "bench" };
const client = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials });
await uploadTree(client, "trail-logs", source);
console.log(`corpus: ${corpus.length} files, ${(bytes / 1e6).toFixed(1)} MB gz in fauxqs (${endpoint})`);

const days = Array.from(
  { length: shape.days },
  (_, d) => new Date(Date.UTC(2024, 2, 1 + d)).toISOString().slice(0, 10),
);
for (const parallelism of levels) {
  const logDir = await Deno.makeTempDir({ prefix: "trailscraper-bench-dl-" });
  const run = await measureCommand(Deno.execPath(), [
    "run",
    "--quiet",
    ...PERMISSIONS,
    ...V8_FLAGS,
    main,
    "download",
    "--bucket",
    "trail-logs",
    ...shape.accounts.flatMap((a) => ["--account-id", a]),
    ...shape.regions.flatMap((r) => ["--region", r]),
    "--from",
    days[0]!,
    "--to",
    `${days.at(-1)}T23:59:59Z`,
    "--log-dir",
    logDir,
    "--endpoint-url",
    endpoint,
    "--parallelism",
    String(parallelism),
  ], { env: { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey } });
  await Deno.remove(logDir, { recursive: true });
  console.log(
    `--parallelism ${String(parallelism).padStart(3)}: ${run.seconds.toFixed(2)} s, ` +
      `${(corpus.length / run.seconds).toFixed(0)} files/s, ${(bytes / 1e6 / run.seconds).toFixed(1)} MB/s, ` +
      `CPU ${run.cpuSeconds.toFixed(2)} s, peak RSS ${run.peakMb.toFixed(0)} MB (${
        run.stderr.trim().split("\n").pop()
      })`,
  );
}
client.destroy();
await server.stop();
await Deno.remove(source, { recursive: true });
