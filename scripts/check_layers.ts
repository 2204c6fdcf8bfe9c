// deno-lint-ignore-file no-console
/**
 * The layering rules of src/, checked by walking every module's imports:
 *
 * - core/: pure functions over plain data; imports only core/ and data/.
 * - output/: renders text, writes nothing; imports core/ and output/.
 * - steps/: pure record steps the worker pool runs; imports core/, output/, steps/.
 * - sources/: the I/O edge (files, S3, CloudTrail, workers, clock); imports core/, steps/, sources/.
 * - state/: durable local state (the sync state DB and archive files); imports core/, state/.
 * - pool/: the Web Worker pool that runs steps (an executor); imports core/, steps/, sources/, pool/.
 * - runtime/: the services commands use (streams, errors -> exit codes, Ctrl-C, progress, time options, log dir,
 *   permissions, version); imports core/, output/, sources/, runtime/.
 * - commands/: wire sources -> steps/core -> output; every layer but cli/.
 * - cli/: the command tree, option parsing, completions, help: the top, imported by nothing in src/.
 *
 * The pure layers (core, output, steps) also may not touch `Deno.*`, the console,
 * the clock, timers, the network, randomness or `node:` modules.
 *
 * Run: deno run --allow-read scripts/check_layers.ts (exit 1 and one line per break)
 */
import { dirname, join, relative, resolve } from "node:path";

const LAYERS = ["core", "output", "steps", "sources", "state", "pool", "runtime", "commands", "cli"] as const;
type Layer = (typeof LAYERS)[number];

/** Which layers each layer may import ("data" is the data/ folder). */
export const MAY_IMPORT: Record<Layer, readonly string[]> = {
  core: ["core", "data"],
  output: ["core", "output", "data"],
  steps: ["core", "output", "steps", "data"],
  sources: ["core", "steps", "sources", "data"],
  state: ["core", "state", "data"],
  pool: ["core", "steps", "sources", "pool", "data"],
  runtime: ["core", "output", "sources", "runtime", "data", "root"],
  commands: ["core", "output", "steps", "sources", "state", "pool", "runtime", "commands", "data"],
  cli: ["core", "output", "sources", "runtime", "commands", "cli", "data", "root"],
};

const PURE = new Set<Layer>(["core", "output", "steps"]);
const IMPURE_CALLS: [RegExp, string][] = [
  [/\bDeno\./, "Deno.*"],
  [/\bconsole\./, "the console"],
  [/\bDate\.now\(/, "the clock (Date.now)"],
  [/\bnew Date\(\)/, "the clock (new Date())"],
  [/\bperformance\.now\(/, "the clock (performance.now)"],
  [/\bset(?:Timeout|Interval)\(/, "timers"],
  [/\bfetch\(/, "the network (fetch)"],
  [/\bMath\.random\(/, "randomness (Math.random)"],
];
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** The layer a path below `src/` belongs to, "data" for data/, "root" for files at the top, or undefined. */
function layerOf(root: string, path: string): string | undefined {
  const rel = relative(root, path).split(/[\\/]/);
  if (rel[0] === "data") return "data";
  if (rel[0] !== "src") return rel.length === 1 ? "root" : undefined;
  return rel[1];
}

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* tsFiles(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

/** Strips comments so that an example in a doc comment is not taken for a call. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** Every break of the rules below `root` (the project folder), one line each. */
export async function layerViolations(root: string): Promise<string[]> {
  const problems: string[] = [];
  for await (const file of tsFiles(join(root, "src"))) {
    const layer = layerOf(root, file) as Layer | undefined;
    if (!layer || !LAYERS.includes(layer)) {
      problems.push(`${relative(root, file)}: not in a known layer (${LAYERS.join(", ")})`);
      continue;
    }
    const text = code(await Deno.readTextFile(file));
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? "";
      const where = relative(root, file);
      if (!specifier.startsWith(".")) {
        if (PURE.has(layer) && specifier.startsWith("node:")) problems.push(`${where}: imports "${specifier}" (I/O)`);
        continue;
      }
      const target = layerOf(root, resolve(dirname(file), specifier));
      if (target === undefined || !MAY_IMPORT[layer].includes(target)) {
        problems.push(`${where}: ${layer}/ may not import ${target ?? "outside src"} ("${specifier}")`);
      }
    }
    if (PURE.has(layer)) {
      for (const [pattern, what] of IMPURE_CALLS) {
        if (pattern.test(text)) problems.push(`${relative(root, file)}: ${layer}/ is pure but uses ${what}`);
      }
    }
  }
  return problems.sort();
}

if (import.meta.main) {
  const problems = await layerViolations(resolve(new URL("..", import.meta.url).pathname));
  for (const p of problems) console.error(p);
  if (problems.length > 0) Deno.exit(1);
  console.error("layers: every import follows the rules");
}
