/** `last-event-timestamp`: the newest event time in the local log dir. */
import { SourceError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { expandLogDir } from "../cli/log_dir.ts";
import { parseLogFileName } from "../core/log_file_name.ts";
import { mayHoldNewer, newestFirst, pythonUtcTimestamp } from "../core/newest_event_plan.ts";
import { newestEventTime } from "../core/record_selector.ts";
import { walkFiles } from "../sources/log_dir_walk.ts";
import { readLogFileText } from "../sources/log_file_text.ts";

/** Options of `last-event-timestamp`. */
export interface LastEventTimestampOptions {
  logDir: string;
  verbose: boolean;
}

/**
 * Reads log files newest delivery first and stops when no older file can hold a
 * newer event, so it reports the true newest event, not the newest file's.
 */
export async function runLastEventTimestamp(options: LastEventTimestampOptions, io: Io): Promise<void> {
  const logDir = expandLogDir(options.logDir, io);
  const isDir = await Deno.stat(logDir).then((s) => s.isDirectory, () => false);
  if (!isDir) throw new SourceError(`log dir "${logDir}" does not exist`);
  const files: { path: string; delivered: number }[] = [];
  for await (const file of walkFiles(logDir)) {
    const name = parseLogFileName(file.name);
    if (name) files.push({ path: file.path, delivered: name.delivered });
  }
  if (files.length === 0) throw new SourceError(`no CloudTrail log files in "${logDir}"`);

  let newest: number | undefined;
  let read = 0;
  const problems: string[] = [];
  for (const file of newestFirst(files)) {
    if (!mayHoldNewer(file.delivered, newest)) break;
    read++;
    const text = readLogFileText(file.path);
    const result = text.ok ? newestEventTime(text.text) : text;
    if (!result.ok) {
      problems.push(result.issue);
      await io.stderr.write(`warning: skipped "${file.path}": ${result.issue}\n`);
      continue;
    }
    if (result.newest !== undefined && (newest === undefined || result.newest > newest)) newest = result.newest;
  }
  if (newest === undefined) {
    const why = problems.length === read
      ? "none of them could be read"
      : "none of them holds an event with a valid eventTime";
    throw new SourceError(`no event found in the ${files.length} log files in "${logDir}": ${why}`);
  }
  if (options.verbose) await io.stderr.write(`last-event-timestamp: read ${read} of ${files.length} log files\n`);
  await io.stdout.write(pythonUtcTimestamp(newest) + "\n");
}
