/**
 * The local log dir as a record source: CloudTrail log files (`.json.gz`, `.json`)
 * in the layout `download` writes, and the JSON Lines archive `sync` writes, in
 * sorted path order, pruned to the files that can hold events of a time range. A file
 * beside its gzipped twin is read once, from the `.gz`.
 */
import { classifyLocalFile, deliveredInRange, folderMayHoldRange, type LocalFile } from "../core/aws/log_file_name.ts";
import type { RecordInput } from "./record_input.ts";
import { walkFiles } from "./log_dir_walk.ts";

/** Why a file was passed over: by its name, or a FIFO, socket or device (or a link to one) whatever its name. */
export type OtherFileKind = (LocalFile & { kind: "other" })["why"] | typeof NOT_REGULAR;

/** The reason a FIFO, socket or device is passed over, in the summaries. */
export const NOT_REGULAR = "not a regular file";

/** Options of {@link logDirInputs}. */
export interface LogDirOptions {
  from: number;
  to: number;
  signal?: AbortSignal;
  /** A file that is neither a log file nor an archive file, passed over. */
  onOtherFile?: (path: string, why: OtherFileKind) => void | Promise<void>;
  /** A log file delivered outside the window of the time range, passed over. */
  onOutOfRange?: (path: string) => void;
  /** A `.json` (`.jsonl`) file beside its `.json.gz` (`.jsonl.gz`), as `gunzip -k` leaves it: passed over, the `.gz` is read. */
  onGunzippedCopy?: (path: string, gzipped: string) => void | Promise<void>;
  /** A folder reached again through a symlink (a loop), not walked twice. */
  onRevisit?: (path: string, realPath: string) => void | Promise<void>;
}

/** Yields the files below `dir` that may hold events of `[from, to]`, as step inputs. */
export async function* logDirInputs(dir: string, options: LogDirOptions): AsyncGenerator<RecordInput> {
  const files = walkFiles(dir, {
    enterFolder: (parts) => folderMayHoldRange(parts, options.from, options.to),
    ...(options.onRevisit ? { onRevisit: options.onRevisit } : {}),
    onSpecial: (path) => options.onOtherFile?.(path, NOT_REGULAR),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for await (const file of files) {
    const kind = classifyLocalFile(file.name);
    if (kind.kind === "other") await options.onOtherFile?.(file.path, kind.why);
    else if (kind.kind === "log" && !deliveredInRange(kind.delivered, options.from, options.to)) {
      options.onOutOfRange?.(file.path);
    } else if (await hasGzippedTwin(file.path)) {
      await options.onGunzippedCopy?.(file.path, `${file.path}.gz`);
    } else yield { kind: "file", path: file.path };
  }
}

/**
 * True when `path` is a `.json` or `.jsonl` file and the same file gzipped lies beside it (read that one only).
 * A twin that cannot be looked at (broken link, no permission) does not count: the `.json` is read.
 */
async function hasGzippedTwin(path: string): Promise<boolean> {
  if (!path.endsWith(".json") && !path.endsWith(".jsonl")) return false;
  try {
    return (await Deno.stat(`${path}.gz`)).isFile;
  } catch {
    return false;
  }
}
