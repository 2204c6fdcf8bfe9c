/** What is already in the local log dir: file sizes, and temporary files a killed run left. */
import { join } from "node:path";

/** The size of the file at `path`, or undefined when there is none. Any other failure (permissions, I/O) is thrown. */
export async function localSize(path: string): Promise<number | undefined> {
  try {
    const info = await Deno.stat(path);
    return info.isFile ? info.size : undefined;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/**
 * Removes the temporary files (`<name>.json.gz<marker><id>`) a killed run left in
 * `dir`. A folder that does not exist yet is fine; every other failure is thrown.
 */
export async function removeStaleTemps(dir: string, marker: string): Promise<number> {
  let removed = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !entry.name.includes(`.json.gz${marker}`)) continue;
      await removeIfThere(join(dir, entry.name));
      removed++;
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return removed;
    throw e;
  }
  return removed;
}

/** Removes a file; one that is already gone is fine, any other failure is thrown. */
export async function removeIfThere(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
