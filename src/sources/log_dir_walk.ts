/** Walks a local log directory in sorted order, each real folder once, skipping folders that cannot matter. */
import { join, sep } from "node:path";

/** A file found below the log dir. */
export interface FoundFile {
  path: string;
  name: string;
}

/** Options of {@link walkFiles}. */
export interface WalkOptions {
  /** Called with a folder's names below the root; false skips the folder. */
  enterFolder?: (parts: string[]) => boolean;
  /** Called for a folder (through a symlink) that was already walked: a loop or a second link to it. */
  onRevisit?: (path: string, realPath: string) => void | Promise<void>;
  /** Called for an entry that is neither a folder nor a regular file (a FIFO, socket or device, or a link to one). */
  onSpecial?: (path: string) => void | Promise<void>;
  /** Stops the walk between entries. */
  signal?: AbortSignal;
}

/**
 * Yields every file below `root`, depth first, entries of each folder sorted by
 * name, so the order is the same on every machine. Symlinks are followed, but each
 * real folder is walked once: a link back up the tree (`AWSLogs/back -> ..`) or a
 * second link to a folder is reported through `onRevisit` and not entered. A broken
 * link is yielded like a file (its reader fails and counts it); a FIFO, socket or device
 * goes to `onSpecial`, never yielded (opening a FIFO waits for a writer forever);
 * unreadable folders end the walk with their error.
 */
export async function* walkFiles(root: string, options: WalkOptions = {}): AsyncGenerator<FoundFile> {
  const seen = new Set<string>([await Deno.realPath(root)]);
  async function* walk(dir: string, parts: string[]): AsyncGenerator<FoundFile> {
    const entries: Deno.DirEntry[] = [];
    for await (const entry of Deno.readDir(dir)) entries.push(entry);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (options.signal?.aborted) return;
      const path = join(dir, entry.name);
      let { isDirectory, isFile } = entry;
      if (entry.isSymlink) {
        const target = await linkTarget(path);
        isDirectory = target?.isDirectory ?? false;
        // A broken link is yielded as a file: its reader fails and counts it, never a silent drop.
        isFile = target?.isFile ?? true;
      }
      if (isDirectory) {
        const childParts = [...parts, entry.name];
        if (options.enterFolder && !options.enterFolder(childParts)) continue;
        const real = entry.isSymlink ? await Deno.realPath(path) : undefined;
        if (real !== undefined) {
          if (seen.has(real) || isBelow(real, seen)) {
            await options.onRevisit?.(path, real);
            continue;
          }
          seen.add(real);
        }
        yield* walk(path, childParts);
      } else if (isFile) {
        yield { path, name: entry.name };
      } else await options.onSpecial?.(path);
    }
  }
  yield* walk(root, []);
}

/** The target of a symlink, or undefined when it is broken. */
async function linkTarget(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** True when `real` is an ancestor of a folder already walked (a link up the tree) or inside one. */
function isBelow(real: string, seen: Set<string>): boolean {
  for (const s of seen) {
    if (s.startsWith(real + sep) || real.startsWith(s + sep)) return true;
  }
  return false;
}
