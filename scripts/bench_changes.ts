// deno-lint-ignore-file no-console
/**
 * `changes --log-dir` against `select` on the same generated corpus, both from the
 * bundle with the binary's permission and V8 flags, with `pigz -dc` of the same files
 * as the baseline, alternating, in one run. The target: changes costs at most what
 * select costs.
 *
 * Run: deno task bench-changes [--dir DIR] [--files 2020] [--records 1000000] [--rounds 2]
 */
import { buildBundle } from "./bundle_build.ts";
import { corpusFiles } from "./corpus_dir.ts";
import { corpusShape } from "./gen_corpus.ts";
import { measureCommand } from "./measure.ts";

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}

const dir = flag("dir", "") || await Deno.makeTempDir({ prefix: "trailscraper-corpus-" });
const rounds = Number(flag("rounds", "2"));
const paths = await corpusFiles(dir, corpusShape(Number(flag("files", "2020")), Number(flag("records", "1000000"))));
const bundle = await buildBundle(await Deno.makeTempDir({ prefix: "trailscraper-bench-bundle-" }));
const window = ["--from", "2024-03-01", "--to", "2024-03-31"];
const commands = {
  "select (role filter)": [
    "select",
    "--log-dir",
    dir,
    "--filter-assumed-role-arn",
    "arn:aws:iam::111122223333:role/ci-deploy",
    ...window,
  ],
  "changes --log-dir": ["changes", "--log-dir", dir, ...window, "--lookback", "0", "--format", "json"],
};
console.log(`corpus: ${paths.length} files in ${dir}; the bundle with the binary's flags`);
for (let round = 1; round <= rounds; round++) {
  const pigz = await measureCommand("pigz", ["-dc", ...paths]);
  console.log(`round ${round}: pigz -dc ${pigz.seconds.toFixed(2)} s`);
  for (const [name, args] of Object.entries(commands)) {
    const run = await measureCommand(Deno.execPath(), [...bundle.runArgs(), ...args]);
    const summary = run.stderr.trim().split("\n").pop();
    console.log(
      `round ${round}: ${name}: ${run.seconds.toFixed(2)} s = ${(run.seconds / pigz.seconds).toFixed(2)}x pigz, ` +
        `CPU ${run.cpuSeconds.toFixed(2)} s, peak RSS ${run.peakMb.toFixed(0)} MB (${summary})`,
    );
  }
}
await Deno.remove(bundle.dir, { recursive: true });
