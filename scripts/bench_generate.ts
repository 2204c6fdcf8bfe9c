// deno-lint-ignore-file no-console
/**
 * Times `generate` as users run it (the bundle, with the binary's permissions and V8
 * flags) on synthetic records at three sizes, side by side with `pigz -dc` of the same
 * input gzipped, and reports the ratio, peak memory (VmHWM from /proc, Linux; reading
 * another process's entry needs -A), distinct (action, resource) pairs and memory per
 * pair. `--distinct` sets how many resources each kind of call spreads over: 50 is a
 * workload of few resources, 5000 gives ~200,000 distinct resources in 1M records.
 *
 * `--resources default,precise` times each resource mode; with `precise`, `check --resources precise` of the
 * generated policy on the same input is timed too (the goal: no slower than the generate that wrote the policy).
 *
 * Run: deno task bench-generate [--records 1000000] [--distinct 5000] [--format json|jsonl]
 *        [--workers 0,2] [--runs 2] [--resources default,precise] [--no-check]
 */
import { buildBundle } from "./bundle_build.ts";
import { measureCommand } from "./measure.ts";
import { synthRecords } from "./synth_records.ts";

function arg(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}

const total = Number(arg("records", "1000000"));
const distinct = Number(arg("distinct", "5000"));
const format = arg("format", "json");
const workerCounts = arg("workers", `0,${navigator.hardwareConcurrency}`).split(",").map(Number);
const runs = Number(arg("runs", "2"));
const modes = arg("resources", "default,precise").split(",");
const timeCheck = !Deno.args.includes("--no-check");
const work = await Deno.makeTempDir({ prefix: "trailscraper-bench-generate-" });
const bundle = await buildBundle(`${work}/bundle`);

/** Writes `count` records as a Records document or JSON Lines; returns path and bytes. */
async function writeInput(count: number): Promise<{ path: string; bytes: number }> {
  const path = `${work}/records-${count}.${format}`;
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let bytes = 0;
  let batch = format === "json" ? '{"Records": [' : "";
  let i = 0;
  const flush = async () => {
    const data = encoder.encode(batch);
    bytes += data.length;
    for (let off = 0; off < data.length;) off += await file.write(data.subarray(off));
    batch = "";
  };
  for (const record of synthRecords(count, { seed: 42, distinctResources: distinct, calls: "wide" })) {
    batch += format === "json" ? (i++ > 0 ? ", " : "") + JSON.stringify(record) : JSON.stringify(record) + "\n";
    if (batch.length > 1 << 20) await flush();
  }
  batch += format === "json" ? "]}\n" : "";
  await flush();
  file.close();
  return { path, bytes };
}

/** The fastest of `runs` runs, with the highest peak memory seen. */
async function best(run: () => Promise<{ seconds: number; peakMb: number; stdout: string }>) {
  let result = await run();
  let peakMb = result.peakMb;
  for (let i = 1; i < runs; i++) {
    const next = await run();
    peakMb = Math.max(peakMb, next.peakMb);
    if (next.seconds < result.seconds) result = next;
  }
  return { ...result, peakMb };
}

/** Distinct (action, resource) pairs a policy grants. */
function pairs(policyText: string): number {
  const policy = JSON.parse(policyText) as { Statement: { Action: string[]; Resource: string[] }[] };
  return policy.Statement.reduce((n, s) => n + s.Action.length * s.Resource.length, 0);
}

console.log(
  `generate benchmark: ${format}, ${total / 4}, ${total / 2} and ${total} records, ${distinct} resources per kind ` +
    `of call (seed 42); the bundle with the binary's flags; best of ${runs} runs; resources ${modes.join(", ")}`,
);
// The first run of a new bundle also compiles and caches it: measure the second.
const tiny = (await writeInput(1)).path;
await measureCommand(Deno.execPath(), [...bundle.runArgs(), "generate"], { stdinFile: tiny });
const empty = await measureCommand(Deno.execPath(), [...bundle.runArgs(), "generate"], { stdinFile: tiny });
console.log(`baseline: generate of 1 record peaks at ${empty.peakMb.toFixed(0)} MB`);
const perRecord: Record<string, number[]> = {};
for (const count of [total / 4, total / 2, total]) {
  const { path, bytes } = await writeInput(count);
  await new Deno.Command("pigz", { args: ["-kf", path] }).output();
  const pigz = await best(() => measureCommand("pigz", ["-dc", `${path}.gz`]).then((m) => ({ ...m, stdout: "" })));
  console.log(
    `${String(count).padStart(8)} records, ${(bytes / 1e6).toFixed(0)} MB: pigz -dc ${pigz.seconds.toFixed(2)} s`,
  );
  // What the repeats save depends on how many records repeat: a property of this corpus, printed with it.
  const share = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", "deno.dev.json", "--allow-read", "scripts/repeat_share.ts", path],
    cwd: new URL("..", import.meta.url),
    stderr: "inherit",
  }).output();
  for (const line of new TextDecoder().decode(share.stdout).trim().split("\n")) console.log(`  repeats ${line}`);
  for (const mode of modes) {
    const resources = mode === "default" ? [] : ["--resources", mode];
    for (const workers of workerCounts) {
      const r = await best(() =>
        measureCommand(
          Deno.execPath(),
          [...bundle.runArgs(), "generate", ...resources, "--workers", String(workers)],
          { stdinFile: path, captureStdout: true },
        )
      );
      const granted = pairs(r.stdout);
      (perRecord[`${mode} --workers ${workers}`] ??= []).push(r.seconds / count);
      console.log(
        `  ${mode} --workers ${workers}: ${r.seconds.toFixed(2)} s = ${(r.seconds / pigz.seconds).toFixed(2)}x pigz, ` +
          `peak RSS ${r.peakMb.toFixed(0)} MB, ${granted} distinct (action, resource) pairs, ` +
          `${Math.round(((r.peakMb - empty.peakMb) * 1e6) / granted)} bytes per pair above the baseline`,
      );
      if (mode === "default" || workers !== 0 || !timeCheck) continue;
      // check of the policy just generated, on the same records, resources built the same way.
      const policy = `${work}/policy-${mode}.json`;
      await Deno.writeTextFile(policy, r.stdout);
      const c = await best(() =>
        measureCommand(Deno.execPath(), [...bundle.runArgs(), "check", "--policy", policy, ...resources], {
          stdinFile: path,
        })
      );
      console.log(
        `  check --resources ${mode}: ${c.seconds.toFixed(2)} s = ${(c.seconds / pigz.seconds).toFixed(2)}x pigz, ` +
          `${(c.seconds / r.seconds).toFixed(2)}x generate, peak RSS ${c.peakMb.toFixed(0)} MB`,
      );
    }
  }
  await Deno.remove(path);
  await Deno.remove(`${path}.gz`);
}
for (const [label, times] of Object.entries(perRecord)) {
  const [quarter = 0, , whole = 0] = times;
  console.log(
    `${label}: time per record at ${total} vs ${total / 4} records: ${(whole / quarter).toFixed(2)}x (1.00 = linear)`,
  );
}
await Deno.remove(work, { recursive: true });
