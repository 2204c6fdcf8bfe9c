/** The `--log-dir` option: `~` expands to the home directory like trailscraper's expanduser. */
import { SourceError } from "./errors.ts";
import type { Io } from "./io.ts";

/** trailscraper's default log dir. */
export const DEFAULT_LOG_DIR = "~/.trailscraper/logs";

/** Expands a leading `~` with HOME (USERPROFILE on Windows), or fails naming the flag; other paths are returned as they are. */
export function expandLogDir(dir: string, io: Io): string {
  if (dir !== "~" && !dir.startsWith("~/") && !dir.startsWith("~\\")) return dir;
  const home = io.env("HOME") ?? io.env("USERPROFILE");
  if (home === undefined) {
    throw new SourceError(
      `cannot expand "~" in log dir "${dir}": HOME is unset or not readable (run with --allow-env=HOME,USERPROFILE, ` +
        `or give the log dir without "~")`,
    );
  }
  return home + dir.slice(1);
}

/** Why `dir` cannot be read as a log dir (`does not exist`, `is not a directory`), or undefined when it can. */
export async function logDirProblem(dir: string): Promise<string | undefined> {
  try {
    return (await Deno.stat(dir)).isDirectory ? undefined : "is not a directory";
  } catch (e) {
    return e instanceof Deno.errors.NotFound
      ? "does not exist"
      : `cannot be read: ${e instanceof Error ? e.message : e}`;
  }
}
