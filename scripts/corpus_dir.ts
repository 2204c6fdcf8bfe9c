// deno-lint-ignore-file no-console
/** The benchmarks' corpus: the log files below `dir`, generated there first when it holds none. */
import { type CorpusOptions, generateCorpus } from "./gen_corpus.ts";

/** Every `.json.gz` below `root`, sorted (none when it does not exist). */
export async function logFilesBelow(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(`${d}/${e.name}`);
      else if (e.name.endsWith(".json.gz")) out.push(`${d}/${e.name}`);
    }
  };
  await walk(root).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  return out.sort();
}

/** The log files of the corpus in `dir`, generating it with `shape` (no extras) when the folder has none. */
export async function corpusFiles(dir: string, shape: CorpusOptions): Promise<string[]> {
  const existing = await logFilesBelow(dir);
  if (existing.length > 0) return existing;
  console.log(`generating the corpus in ${dir} ...`);
  generateCorpus(dir, { ...shape, extras: false });
  return await logFilesBelow(dir);
}
