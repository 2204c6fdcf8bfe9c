// deno-lint-ignore-file no-console
/**
 * Times `generate` on synthetic records at three sizes to show it is linear, and
 * reports records/s, MB/s and peak memory (VmHWM from /proc, Linux; reading another
 * Deno process's /proc entry needs --allow-all, hence -A in the task).
 *
 * Run: deno task bench-generate [--records 1000000] [--format json|jsonl]
 */
import { V8_FLAGS } from "./build_plan.ts";
import { measureCommand } from "./measure.ts";
import { synthRecords } from "./synth_records.ts";

function arg(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}

const total = Number(arg("records", "200000"));
const format = arg("format", "json");
const main = new URL("../main.ts", import.meta.url).pathname;

/** Writes `count` records to a temp file as a Records document or JSON Lines; returns path and bytes. */
async function writeInput(count: number): Promise<{ path: string; bytes: number }> {
  const path = await Deno.makeTempFile({ prefix: "trailscraper-bench-", suffix: `.${format}` });
  const file = await Deno.open(path, { write: true, truncate: true });
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
  for (const record of synthRecords(count, { seed: 42 })) {
    batch += format === "json" ? (i++ > 0 ? ", " : "") + JSON.stringify(record) : JSON.stringify(record) + "\n";
    if (batch.length > 1 << 20) await flush();
  }
  batch += format === "json" ? "]}\n" : "";
  await flush();
  file.close();
  return { path, bytes };
}

/** Runs generate on `path`; returns seconds, peak resident memory in MB and the statement count. */
async function timeGenerate(path: string): Promise<{ seconds: number; peakMb: number; statements: number }> {
  const run = await measureCommand(Deno.execPath(), ["run", "--quiet", ...V8_FLAGS, main, "generate"], {
    stdinFile: path,
    captureStdout: true,
  });
  return { seconds: run.seconds, peakMb: run.peakMb, statements: JSON.parse(run.stdout).Statement.length };
}

console.log(`generate benchmark: ${format}, sizes ${total / 4}, ${total / 2}, ${total} records (seed 42)`);
const rates: number[] = [];
for (const count of [total / 4, total / 2, total]) {
  const { path, bytes } = await writeInput(count);
  const r = await timeGenerate(path);
  await Deno.remove(path);
  const rate = count / r.seconds;
  rates.push(rate);
  console.log(
    `${String(count).padStart(9)} records ${(bytes / 1e6).toFixed(0).padStart(6)} MB: ${r.seconds.toFixed(2)} s, ` +
      `${Math.round(rate)} records/s, ${(bytes / 1e6 / r.seconds).toFixed(0)} MB/s, peak RSS ${
        r.peakMb.toFixed(0)
      } MB, ` +
      `${r.statements} statements`,
  );
}
const ratio = rates[0]! / rates[2]!;
console.log(`time per record at ${total} vs ${total / 4} records: ${ratio.toFixed(2)}x (1.00 = perfectly linear)`);
