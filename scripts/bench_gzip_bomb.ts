// deno-lint-ignore-file no-console
/**
 * Measures what gzip bombs cost `select`: a log dir of one real log file and N bombs (each ~450 kB that inflates
 * to 448 MiB of a valid Records document) against the same dir without the bombs, measured side by side in one run:
 * wall time, CPU and peak memory (VmHWM from /proc, Linux; needs -A). Each bomb should be skipped at the log file
 * limit (256 MiB; TRAILSCRAPER_MAX_INFLATED_MIB), so the peak stays near a few times the limit whatever N is.
 *
 * Run: deno task bench-gzip-bomb [--bombs 4] [--workers 2]
 */
import { gzipSync } from "node:zlib";
import { V8_FLAGS } from "./build_plan.ts";
import { measureCommand } from "./measure.ts";

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] ?? fallback : fallback;
}

const bombs = Number(flag("bombs", "4"));
const workers = flag("workers", "2");
const main = new URL("../main.ts", import.meta.url).pathname;
const encode = (text: string) => new TextEncoder().encode(text);
const record = {
  eventVersion: "1.08",
  userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice" },
  eventTime: "2024-03-01T09:50:00Z",
  eventSource: "ec2.amazonaws.com",
  eventName: "RunInstances",
  eventID: "x",
};

/** A gzip of several members (as `cat a.gz b.gz` makes): a Records document padded with 448 MiB of spaces. */
function bomb(): Uint8Array {
  const spaces = gzipSync(new Uint8Array(16 << 20).fill(0x20), { level: 9 });
  const parts = [
    gzipSync(encode(`{"Records":[${JSON.stringify(record)}`)),
    ...Array(28).fill(spaces),
    gzipSync(encode("]}")),
  ];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) bytes.set(p, (at += p.length) - p.length);
  return bytes;
}

async function logDir(withBombs: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "trailscraper-bombs-" });
  const day = `${dir}/AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01`;
  await Deno.mkdir(day, { recursive: true });
  const name = (stamp: string, id: string) => `${day}/111122223333_CloudTrail_eu-west-1_${stamp}_${id}.json.gz`;
  await Deno.writeFile(name("20240301T0955Z", "good"), gzipSync(encode(JSON.stringify({ Records: [record] }))));
  const bytes = bomb();
  for (let i = 0; i < withBombs; i++) {
    await Deno.writeFile(name(`20240301T10${String(i).padStart(2, "0")}Z`, `b${i}`), bytes);
  }
  return dir;
}

async function select(dir: string) {
  const args = ["run", "--quiet", "--allow-read", "--allow-env", ...V8_FLAGS, main, "select", "--log-dir", dir];
  const run = await measureCommand(Deno.execPath(), [...args, "--workers", workers]);
  const summary = run.stderr.trim().split("\n").pop();
  return `${run.seconds.toFixed(2)} s, CPU ${run.cpuSeconds.toFixed(2)} s, peak RSS ${
    run.peakMb.toFixed(0)
  } MB (${summary})`;
}

const plain = await logDir(0);
const bombed = await logDir(bombs);
try {
  console.log(`bomb: ${(bomb().length / 1e3).toFixed(0)} kB gzip -> 448 MiB; select --workers ${workers}`);
  console.log(`without bombs (baseline): ${await select(plain)}`);
  console.log(`with ${bombs} bombs:          ${await select(bombed)}`);
} finally {
  await Deno.remove(plain, { recursive: true });
  await Deno.remove(bombed, { recursive: true });
}
