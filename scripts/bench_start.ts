// deno-lint-ignore-file no-console
/**
 * Start-up time of the commands users start most, against an empty Deno script,
 * measured side by side with hyperfine: from the bundle with the binary's permission
 * and V8 flags, and from source. The target: within 2.5x the empty script.
 *
 * Run: deno task bench-start [--runs 20]   (needs hyperfine: apt-get install hyperfine)
 */
import { buildBundle } from "./bundle_build.ts";

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}
const runs = flag("runs", "20");
const root = new URL("..", import.meta.url).pathname;
const work = await Deno.makeTempDir({ prefix: "trailscraper-start-" });
const bundle = await buildBundle(work);
const empty = `${work}/empty.js`;
await Deno.writeTextFile(empty, "");
const input = `${work}/records.json`;
await Deno.copyFile(`${root}tests/fixtures/generate/trailscraper_special_cases.records.json`, input);
const deno = Deno.execPath();
const q = (args: string[]) => args.map((a) => `'${a}'`).join(" ");
const fromBundle = (args: string[]) => `${deno} ${q([...bundle.runArgs(), ...args])}`;
const fromSource = (args: string[]) => `${deno} run --quiet ${q([`${root}main.ts`, ...args])}`;
const commands: [string, string][] = [
  ["empty Deno script", `${deno} run --quiet ${empty}`],
  ["bundle: --help", fromBundle(["--help"])],
  ["bundle: --version", fromBundle(["--version"])],
  ["bundle: completions bash", fromBundle(["completions", "bash"])],
  ["bundle: generate < small input", `${fromBundle(["generate"])} < ${input}`],
  ["source: --help", fromSource(["--help"])],
  ["source: generate < small input", `${fromSource(["generate"])} < ${input}`],
];
const args = ["--shell=bash", "--warmup", "3", "--runs", runs, "--export-json", `${work}/start.json`];
for (const [name, command] of commands) args.push("-n", name, command);
const run = await new Deno.Command("hyperfine", { args, stdout: "null", stderr: "inherit" }).output();
if (!run.success) Deno.exit(1);
const results = JSON.parse(await Deno.readTextFile(`${work}/start.json`)).results as {
  command: string;
  mean: number;
  stddev: number;
}[];
const base = results[0]!.mean;
for (const r of results) {
  console.log(
    `${r.command.padEnd(32)} ${(r.mean * 1000).toFixed(0).padStart(5)} ms ± ${
      (r.stddev * 1000).toFixed(0).padStart(3)
    }` +
      `  ${(r.mean / base).toFixed(2)}x the empty script`,
  );
}
const size = [...Deno.readDirSync(work)].filter((e) => e.name.endsWith(".js") && e.name !== "empty.js")
  .reduce((n, e) => n + Deno.statSync(`${work}/${e.name}`).size, 0);
console.log(`bundle: ${(size / 1e6).toFixed(2)} MB`);
await Deno.remove(work, { recursive: true });
