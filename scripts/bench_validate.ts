// deno-lint-ignore-file no-console
/**
 * validate vs download on the same files, same run, shipped form: the bench tree
 * (2,020 log files, 1M records) with hourly signed digests for each account and
 * region is put in fauxqs (in this process, on 127.0.0.1); then the bundle, with the
 * binary's permission flags, runs `download` of the range into an empty dir, and
 * `validate --bucket` of the same range (every digest and log file read from S3,
 * gunzipped and hashed), both at the same --parallelism. Also `validate --log-dir` of
 * a `download --with-digests` copy (offline). Prints seconds, peak RSS and the ratio.
 *
 * The machine is shared and noisy: download and validate run alternately `--rounds` times; the best of each counts.
 *
 * Run: deno task bench-validate [--files 2020] [--records 1000000] [--parallelism 10] [--rounds 3]
 */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { relative } from "node:path";
import { startFauxqs } from "fauxqs";
import { parseLogFileName } from "../src/core/aws/log_file_name.ts";
import { buildBundle } from "./bundle_build.ts";
import { logFilesBelow } from "./corpus_dir.ts";
import { corpusShape, generateCorpus } from "./gen_corpus.ts";
import { measureCommand } from "./measure.ts";
import { makeSigner, publicKeyList, SignedTrail, type TreeObject, uploadObjects } from "./signed_tree.ts";

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}

const HOUR = 3_600_000;
const BUCKET = "trail-logs";
const files = Number(flag("files", "2020"));
const records = Number(flag("records", "1000000"));
const parallelism = flag("parallelism", "10");
const rounds = Number(flag("rounds", "3"));
const shape = corpusShape(files, records);
const start = Date.UTC(2024, 2, 1);

const work = await Deno.makeTempDir({ prefix: "trailscraper-bench-validate-" });
const source = `${work}/source`;
generateCorpus(source, { ...shape, extras: false });
const objects = new Map<string, TreeObject>();
for (const path of await logFilesBelow(source)) {
  objects.set(relative(source, path), { body: await Deno.readFile(path) });
}
const logBytes = [...objects.values()].reduce((n, o) => n + o.body.length, 0);
const logCount = objects.size;

// One signed digest per account, region and hour, naming the log files delivered in that hour.
const signer = makeSigner();
for (const account of shape.accounts) {
  for (const region of shape.regions) {
    const trail = new SignedTrail(objects, { bucket: BUCKET, signer, account, region });
    const byHour = new Map<number, string[]>();
    for (const key of objects.keys()) {
      const name = parseLogFileName(key.slice(key.lastIndexOf("/") + 1));
      if (!name || name.account !== account || name.region !== region) continue;
      const hour = Math.floor(name.delivered / HOUR);
      byHour.set(hour, [...(byHour.get(hour) ?? []), key]);
    }
    for (let h = start / HOUR; h < start / HOUR + shape.days * 24; h++) {
      trail.digest(new Date((h + 1) * HOUR + 17 * 60_000).toISOString(), byHour.get(h) ?? []);
    }
  }
}
const keysFile = `${work}/keys.json`;
await Deno.writeTextFile(keysFile, JSON.stringify(publicKeyList([signer])));

const server = await startFauxqs({ port: 0, host: "127.0.0.1", logger: false });
const endpoint = `http://127.0.0.1:${server.port}`;
const credentials = { AWS_ACCESS_KEY_ID: "AKIABENCH", AWS_SECRET_ACCESS_KEY: "bench" };
const client = new S3Client({
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: credentials.AWS_ACCESS_KEY_ID, secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY },
});
await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
await uploadObjects(client, BUCKET, objects);
const digestCount = objects.size - logCount;
objects.clear();
console.log(
  `corpus: ${logCount} log files (${(logBytes / 1e6).toFixed(0)} MB gz) and ${digestCount} digests in fauxqs`,
);

const bundle = await buildBundle(`${work}/bundle`);
const range = [
  ...shape.accounts.flatMap((a) => ["--account-id", a]),
  ...shape.regions.flatMap((r) => ["--region", r]),
  "--from",
  new Date(start).toISOString().slice(0, 10),
  "--to",
  new Date(start + shape.days * 24 * HOUR - 1000).toISOString(),
  "--parallelism",
  parallelism,
];
const run = async (label: string, args: string[]) => {
  const m = await measureCommand(Deno.execPath(), [...bundle.runArgs(), ...args], { env: credentials });
  console.log(
    `${label.padEnd(40)} ${m.seconds.toFixed(2)} s, CPU ${m.cpuSeconds.toFixed(2)} s, peak RSS ${
      m.peakMb.toFixed(0)
    } MB (${m.stderr.trim().split("\n").pop()})`,
  );
  return m;
};
const s3 = ["--bucket", BUCKET, "--endpoint-url", endpoint, ...range];
let download = Infinity;
let validate = Infinity;
for (let round = 1; round <= rounds; round++) {
  const dir = `${work}/download-${round}`;
  download = Math.min(
    download,
    (await run(`download (round ${round})`, ["download", ...s3, "--log-dir", dir])).seconds,
  );
  await Deno.remove(dir, { recursive: true });
  const checked = await run(`validate --bucket (round ${round})`, ["validate", ...s3, "--public-keys", keysFile]);
  validate = Math.min(validate, checked.seconds);
}
await run("download --with-digests", ["download", ...s3, "--log-dir", `${work}/copy`, "--with-digests"]);
const offline = await run("validate --log-dir (offline)", [
  "validate",
  ...range,
  "--log-dir",
  `${work}/copy`,
  "--public-keys",
  keysFile,
]);
console.log(
  `best of ${rounds}: download ${download.toFixed(2)} s, validate --bucket ${validate.toFixed(2)} s: ` +
    `${(validate / download).toFixed(2)}x (target <= 1.5x); ` +
    `validate --log-dir: ${(logCount / offline.seconds).toFixed(0)} log files/s`,
);
client.destroy();
await server.stop();
await Deno.remove(work, { recursive: true });
