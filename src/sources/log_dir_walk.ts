/** Walks a local log directory in sorted order, skipping folders that cannot matter. */
import { join } from "node:path";

/** A file found below the log dir. */
export interface FoundFile {
  path: string;
  name: string;
}

/** Options of {@link walkFiles}. */
export interface WalkOptions {
  /** Called with a folder's names below the root; false skips the folder. */
  enterFolder?: (parts: string[]) => boolean;
}

/**
 * Yields every file below `root`, depth first, entries of each folder sorted by
 * name, so the order is the same on every machine. Symlinked folders are followed
 * once; unreadable folders end the walk with their error.
 */
export async function* walkFiles(root: string, options: WalkOptions = {}): AsyncGenerator<FoundFile> {
  async function* walk(dir: string, parts: string[]): AsyncGenerator<FoundFile> {
    const entries: Deno.DirEntry[] = [];
    for await (const entry of Deno.readDir(dir)) entries.push(entry);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory;
      let isFile = entry.isFile;
      if (entry.isSymlink) {
        const target = await Deno.stat(path).catch(() => undefined);
        isDirectory = target?.isDirectory ?? false;
        isFile = target?.isFile ?? false;
      }
      if (isDirectory) {
        const childParts = [...parts, entry.name];
        if (options.enterFolder && !options.enterFolder(childParts)) continue;
        yield* walk(path, childParts);
      } else if (isFile) {
        yield { path, name: entry.name };
      }
    }
  }
  yield* walk(root, []);
}
