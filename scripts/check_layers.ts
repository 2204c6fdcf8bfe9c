// deno-lint-ignore-file no-console
/**
 * The layering rules of src/, checked by walking every module's imports:
 *
 * - core/: pure functions over plain data; imports only core/ and data/. Its modules live in domain groups
 *   (core/util/, core/records/, ...), and a group imports only itself and the groups below it (CORE_MAY_IMPORT).
 * - output/: renders text, writes nothing; imports core/ and output/.
 * - steps/: pure record steps the worker pool runs; imports core/, output/, steps/.
 * - sources/: the I/O edge (files, S3, CloudTrail, workers, clock); imports core/, steps/, sources/.
 * - state/: durable local state (the sync state DB and archive files); imports core/, state/.
 * - pool/: the Web Worker pool that runs steps (an executor); imports core/, steps/, sources/, pool/.
 * - runtime/: the services commands use (streams, errors -> exit codes, Ctrl-C, progress, time options, log dir,
 *   permissions, version); imports core/, output/, sources/, runtime/ and the files at the top (deno.json).
 * - commands/: wire sources -> steps/core -> output; every layer but cli/ (and not the files at the top).
 * - cli/: the command tree, option parsing, completions, help: the top, imported by nothing in src/; imports
 *   core/, output/, sources/, runtime/, commands/, cli/ and the files at the top (not steps/, state/, pool/).
 *
 * Every layer may import data/ (MAY_IMPORT).
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

const CORE_GROUPS = ["util", "records", "iam", "policy", "changes", "sync", "aws", "digest", "mcp"] as const;
type CoreGroup = (typeof CORE_GROUPS)[number];

/** Which groups of core/ each group may import: a one-way graph, util at the bottom. */
export const CORE_MAY_IMPORT: Record<CoreGroup, readonly CoreGroup[]> = {
  util: ["util"],
  records: ["util", "records"],
  iam: ["util", "records", "iam"],
  policy: ["util", "records", "iam", "policy"],
  changes: ["util", "records", "changes"],
  sync: ["util", "records", "aws", "sync"],
  aws: ["util", "records", "aws"],
  digest: ["util", "aws", "digest"],
  mcp: ["util", "mcp"],
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

/** The group of a module below `src/core/` ("" for a module directly in core/), or undefined outside core/. */
function coreGroupOf(root: string, path: string): string | undefined {
  const rel = relative(root, path).split(/[\\/]/);
  if (rel[0] !== "src" || rel[1] !== "core") return undefined;
  return rel.length > 3 ? rel[2] : "";
}

/** The break of the group rules by one import of a core module, if any. */
function coreGroupViolation(root: string, file: string, target: string, specifier: string): string | undefined {
  const from = coreGroupOf(root, file) as CoreGroup;
  const to = coreGroupOf(root, target);
  if (to === undefined || !CORE_GROUPS.includes(from)) return undefined;
  if (CORE_MAY_IMPORT[from].includes(to as CoreGroup)) return undefined;
  return `${relative(root, file)}: core/${from}/ may not import core/${to || "(top)"} ("${specifier}")`;
}

/** Whether a core module sits in a known group (a module directly in core/ or in another folder does not). */
function coreGroupProblem(root: string, file: string): string | undefined {
  const group = coreGroupOf(root, file);
  if (group === undefined || CORE_GROUPS.includes(group as CoreGroup)) return undefined;
  return `${relative(root, file)}: not in a core group (${CORE_GROUPS.join(", ")})`;
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
    const misplaced = layer === "core" ? coreGroupProblem(root, file) : undefined;
    if (misplaced) problems.push(misplaced);
    const text = code(await Deno.readTextFile(file));
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? "";
      const where = relative(root, file);
      if (!specifier.startsWith(".")) {
        if (PURE.has(layer) && specifier.startsWith("node:")) problems.push(`${where}: imports "${specifier}" (I/O)`);
        continue;
      }
      const path = resolve(dirname(file), specifier);
      const target = layerOf(root, path);
      if (target === undefined || !MAY_IMPORT[layer].includes(target)) {
        problems.push(`${where}: ${layer}/ may not import ${target ?? "outside src"} ("${specifier}")`);
      } else if (layer === "core" && !misplaced) {
        const broken = coreGroupViolation(root, file, path, specifier);
        if (broken) problems.push(broken);
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
