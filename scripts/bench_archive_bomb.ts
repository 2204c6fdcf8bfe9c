// deno-lint-ignore-file no-console
/**
 * Measures what hostile part files cost `sync --rebuild-state`: an archive of one real part (20,000 lines) against the
 * same archive plus a gzip bomb part (~450 kB that inflates to 448 MiB: refused at the log file limit, 256 MiB) and
 * plus a part of 200 MiB of one repeated line (under the limit: read, its lines keyed once). Each rebuild runs in its
 * own process, side by side in one run: wall time, CPU and peak memory (VmHWM from /proc, Linux; needs -A).
 *
 * Run: deno task bench-archive-bomb
 */
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { rebuildState } from "../src/state/state_rebuild.ts";
import { measureCommand } from "./measure.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const PARTITION = "account=111122223333/region=eu-west-1/date=2024-03-01";

if (Deno.args[0] === "--rebuild") {
  // The child: rebuilds the state of the archive in Deno.args[1], prints what it found or why it refused.
  const events = Deno.args[1]!;
  try {
    const report = await rebuildState(join(events, "..", "s.db"), { eventsDir: events, trails: ["s3://b/"] });
    console.log(`rebuilt: ${report.lines} lines, ${report.duplicates} repeating a key`);
  } catch (e) {
    console.log(`refused: ${e instanceof Error ? e.message.replace(events, "events") : e}`);
  }
  Deno.exit(0);
}

function realPart(): Uint8Array {
  const lines = Array.from({ length: 20_000 }, (_, i) =>
    JSON.stringify({
      eventVersion: "1.08",
      eventTime: "2024-03-01T09:50:00Z",
      eventSource: "ec2.amazonaws.com",
      eventName: "RunInstances",
      eventID: crypto.randomUUID(),
      requestParameters: { instancesSet: { items: [{ imageId: `ami-${i}`, minCount: 1, maxCount: 1 }] } },
    }) + "\n");
  return gzipSync(encode(lines.join("")));
}

/** Members of 16 MiB of `byte`, `n` of them (as appends write them), one gzip file. */
function repeated(byte: number, n: number): Uint8Array {
  const member = gzipSync(new Uint8Array(16 << 20).fill(byte), { level: 9 });
  const out = new Uint8Array(member.length * n);
  for (let i = 0; i < n; i++) out.set(member, i * member.length);
  return out;
}

async function archive(extra?: Uint8Array): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "trailscraper-archive-bomb-" });
  const events = join(dir, "events");
  await Deno.mkdir(join(events, PARTITION), { recursive: true });
  await Deno.writeFile(join(events, PARTITION, "part-0.jsonl.gz"), realPart());
  if (extra) await Deno.writeFile(join(events, PARTITION, "part-1.jsonl.gz"), extra);
  return events;
}

async function rebuild(events: string): Promise<string> {
  const args = ["run", "--quiet", "-A", new URL(import.meta.url).pathname, "--rebuild", events];
  const run = await measureCommand(Deno.execPath(), args, { captureStdout: true });
  return `${run.seconds.toFixed(2)} s, CPU ${run.cpuSeconds.toFixed(2)} s, peak RSS ${run.peakMb.toFixed(0)} MB ` +
    `(${run.stdout.trim()})`;
}

const cases: [string, Uint8Array | undefined][] = [
  ["one real part (baseline)", undefined],
  ["plus a bomb (448 MiB)", repeated(0x20, 28)],
  ["plus 200 MiB of newlines", repeated(0x0a, 12)],
];
for (const [name, extra] of cases) {
  const events = await archive(extra);
  try {
    console.log(`${name.padEnd(26)}${extra ? ` ${(extra.length / 1e3).toFixed(0)} kB` : ""}: ${await rebuild(events)}`);
  } finally {
    await Deno.remove(join(events, ".."), { recursive: true });
  }
}
