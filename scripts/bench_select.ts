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
import { corpusFiles } from "./corpus_dir.ts";
import { corpusShape } from "./gen_corpus.ts";
import { measureCommand } from "./measure.ts";

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

const paths = await corpusFiles(dir, corpusShape(files, records));
const gzBytes = (await Promise.all(paths.map((p) => Deno.stat(p)))).reduce((n, s) => n + s.size, 0);

async function hasCommand(name: string): Promise<boolean> {
  try {
    return (await new Deno.Command(name, { args: ["--version"], stdout: "null", stderr: "null" }).output()).success;
  } catch {
    return false; // not installed: spawning throws at once
  }
}
const hasPigz = await hasCommand("pigz");
const baselineCmd = hasPigz ? "pigz" : "gzip";
const baseline = await measureCommand(baselineCmd, ["-dc", ...paths]);
console.log(`corpus: ${paths.length} files, ${(gzBytes / 1e6).toFixed(0)} MB gz`);
console.log(
  `${baselineCmd} -dc (baseline):  ${baseline.seconds.toFixed(2)} s, CPU ${baseline.cpuSeconds.toFixed(2)} s`,
);
for (const workers of workerCounts) {
  const run = await measureCommand(Deno.execPath(), [
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
      `${baselineCmd}, CPU ${run.cpuSeconds.toFixed(2)} s, peak RSS ${run.peakMb.toFixed(0)} MB (${summary})`,
  );
}
if (!Deno.args.includes("--dir")) await Deno.remove(dir, { recursive: true });
