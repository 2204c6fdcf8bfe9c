// deno-lint-ignore-file no-console
/**
 * Times `check` in its three ways of building each call's resources (records: the records' resources[] else *, the
 * old default; precise, the default; prefix) on the same synthetic records, against one policy that allows them all
 * (generate's statements in the three modes together), and reports the ratio to the records mode and peak memory.
 * The bundle with the binary's flags.
 *
 * Run: deno task bench-check [--records 200000] [--distinct 5000] [--runs 2]
 */
import { buildBundle } from "./bundle_build.ts";
import { measureCommand } from "./measure.ts";
import { synthRecords } from "./synth_records.ts";

function arg(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}

const total = Number(arg("records", "200000"));
const distinct = Number(arg("distinct", "5000"));
const runs = Number(arg("runs", "2"));
const work = await Deno.makeTempDir({ prefix: "trailscraper-bench-check-" });
const bundle = await buildBundle(`${work}/bundle`);

const input = `${work}/records.jsonl`;
const lines: string[] = [];
for (const record of synthRecords(total, { seed: 42, distinctResources: distinct, calls: "wide" })) {
  lines.push(JSON.stringify(record));
}
await Deno.writeTextFile(input, lines.join("\n") + "\n");
// One policy that allows every call in each mode: the statements of generate in its three resource modes together.
const policy = `${work}/policy.json`;
const statements: unknown[] = [];
for (const mode of [[], ["--resources", "precise"], ["--resources", "prefix"]]) {
  const generated = await measureCommand(Deno.execPath(), [...bundle.runArgs(), "generate", ...mode], {
    stdinFile: input,
    captureStdout: true,
  });
  statements.push(...(JSON.parse(generated.stdout) as { Statement: unknown[] }).Statement);
}
await Deno.writeTextFile(policy, JSON.stringify({ Version: "2012-10-17", Statement: statements }));

console.log(
  `check benchmark: ${total} records (JSON Lines), ${distinct} resources per kind of call (seed 42); best of ${runs}`,
);
let baseline = 0;
for (const mode of ["records", "precise", "prefix"]) {
  let best: { seconds: number; peakMb: number; stdout: string } | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await measureCommand(
      Deno.execPath(),
      [...bundle.runArgs(), "check", "--policy", policy, "--resources", mode],
      { stdinFile: input, captureStdout: true },
    );
    if (!best || r.seconds < best.seconds) best = { ...r, peakMb: Math.max(r.peakMb, best?.peakMb ?? 0) };
  }
  if (mode === "records") baseline = best!.seconds;
  const summary = best!.stdout.split("\n")[0];
  console.log(
    `--resources ${mode.padEnd(7)}: ${best!.seconds.toFixed(2)} s (${
      (best!.seconds / baseline).toFixed(2)
    }x records), ` +
      `peak RSS ${best!.peakMb.toFixed(0)} MB; ${summary}`,
  );
}
await Deno.remove(work, { recursive: true });
