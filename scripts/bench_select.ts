// deno-lint-ignore-file no-console
/**
 * Times `select` with a role filter on a generated corpus against `pigz -dc` of the
 * same files (the practical decompression ceiling), measured side by side in one
 * run, and reports peak memory (VmHWM from /proc, Linux; needs -A).
 *
 * Run: deno task bench-select [--files 2020] [--records 1000000] [--dir DIR] [--workers 0,1,2]
 * With --dir, an existing corpus there is reused (generated on first use).
 */
import { V8_FLAGS } from "./build_plan.ts";
import { generateCorpus } from "./gen_corpus.ts";

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}

const files = Number(flag("files", "2020"));
const records = Number(flag("records", "1000000"));
const dir = flag("dir", "") || await Deno.makeTempDir({ prefix: "trailscraper-corpus-" });
const workerCounts = flag("workers", String(navigator.hardwareConcurrency)).split(",").map(Number);
const main = new URL("../main.ts", import.meta.url).pathname;
const role = "arn:aws:iam::111122223333:role/ci-deploy";

async function logFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(`${d}/${e.name}`);
      else if (e.name.endsWith(".json.gz")) out.push(`${d}/${e.name}`);
    }
  };
  await walk(root);
  return out.sort();
}

let paths = await logFiles(dir).catch(() => []);
if (paths.length === 0) {
  const accounts = ["111122223333", "444455556666"];
  const regions = ["us-east-1", "eu-west-1"];
  const days = Math.max(1, Math.round(files / (accounts.length * regions.length * 101)));
  const filesPerDay = Math.ceil(files / (accounts.length * regions.length * days));
  console.log(`generating ${files} files, ${records} records in ${dir} ...`);
  generateCorpus(dir, {
    accounts,
    regions,
    days,
    filesPerDay,
    recordsPerFile: Math.round(records / (accounts.length * regions.length * days * filesPerDay)),
    extras: false,
  });
  paths = await logFiles(dir);
}
const gzBytes = (await Promise.all(paths.map((p) => Deno.stat(p)))).reduce((n, s) => n + s.size, 0);

/** Runs a command with stdout to /dev/null; returns seconds, peak RSS (MB) and stderr. */
async function measure(cmd: string, args: string[]) {
  const start = performance.now();
  const child = new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).spawn();
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch { /* the process has exited */ }
  }, 20);
  const out = await child.output();
  clearInterval(poll);
  const seconds = (performance.now() - start) / 1000;
  const stderr = new TextDecoder().decode(out.stderr);
  if (out.code !== 0) throw new Error(`${cmd} failed: ${stderr}`);
  return { seconds, peakMb: peakKb / 1024, stderr };
}

const hasPigz = await new Deno.Command("pigz", { args: ["--version"], stdout: "null", stderr: "null" }).output()
  .then((o) => o.success, () => false);
const baselineCmd = hasPigz ? "pigz" : "gzip";
const baseline = await measure(baselineCmd, ["-dc", ...paths]);
console.log(`corpus: ${paths.length} files, ${(gzBytes / 1e6).toFixed(0)} MB gz`);
console.log(`${baselineCmd} -dc (baseline):  ${baseline.seconds.toFixed(2)} s`);
for (const workers of workerCounts) {
  const run = await measure(Deno.execPath(), [
    "run",
    "--quiet",
    "--allow-read",
    ...V8_FLAGS,
    main,
    "select",
    "--log-dir",
    dir,
    "--filter-assumed-role-arn",
    role,
    "--workers",
    String(workers),
  ]);
  const summary = run.stderr.trim().split("\n").pop();
  console.log(
    `select --workers ${workers}: ${run.seconds.toFixed(2)} s = ${(run.seconds / baseline.seconds).toFixed(2)}x ` +
      `${baselineCmd}, peak RSS ${run.peakMb.toFixed(0)} MB (${summary})`,
  );
}
if (!Deno.args.includes("--dir")) await Deno.remove(dir, { recursive: true });
