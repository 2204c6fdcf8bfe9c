// deno-lint-ignore-file no-console
/**
 * Start-up of `mcp` from source: the time from spawning the server to its answer to `initialize` over stdio,
 * the median of several runs (the server answers from the sample log dir: no AWS).
 *
 * Run: deno run --config deno.dev.json -A scripts/bench_mcp_start.ts [--runs 7]
 */
const i = Deno.args.indexOf("--runs");
const runs = i >= 0 ? Number(Deno.args[i + 1]) : 7;
const root = new URL("..", import.meta.url).pathname;
const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "0" } },
}) + "\n";

/** Milliseconds from spawn to the first line on stdout (the answer to `initialize`). */
async function once(): Promise<number> {
  const start = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", `${root}main.ts`, "mcp", "--log-dir", `${root}data/sample/logs`],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(initialize));
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("mcp closed stdout before answering initialize");
    text += value;
  }
  const ms = performance.now() - start;
  if (!text.includes('"result"')) throw new Error(`unexpected answer: ${text}`);
  await writer.close();
  await reader.cancel();
  await child.status;
  return ms;
}

await once(); // warm the module cache
const times: number[] = [];
for (let n = 0; n < runs; n++) times.push(await once());
times.sort((a, b) => a - b);
console.log(
  `mcp: initialize answered after ${times[Math.floor(runs / 2)]!.toFixed(0)} ms (median of ${runs}; ` +
    `min ${times[0]!.toFixed(0)}, max ${times[runs - 1]!.toFixed(0)})`,
);
