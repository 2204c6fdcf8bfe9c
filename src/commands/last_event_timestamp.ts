/** `last-event-timestamp`: the newest event time in the local log dir. */
import { SourceError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { expandLogDir, logDirProblem } from "../cli/log_dir.ts";
import { countInto } from "../core/counts.ts";
import { classifyLocalFile } from "../core/log_file_name.ts";
import { escapeControl, revisitWarning } from "../output/escape_control.ts";
import { newestEventSummary } from "../output/newest_event_summary.ts";
import { pythonUtcTimestamp } from "../core/newest_event_plan.ts";
import { walkFiles } from "../sources/log_dir_walk.ts";
import { findNewestEvent } from "../sources/newest_event.ts";

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
  const problem = await logDirProblem(logDir);
  if (problem) throw new SourceError(`log dir "${logDir}" ${problem}`);
  const files: { path: string; delivered: number }[] = [];
  const other: Record<string, number> = {};
  const walk = walkFiles(logDir, {
    onRevisit: (path, real) => io.stderr.write(revisitWarning(path, real)),
  });
  for await (const file of walk) {
    const kind = classifyLocalFile(file.name);
    if (kind.kind === "log") files.push({ path: file.path, delivered: kind.delivered });
    else countInto(other, kind.kind === "archive" ? "sync archive" : kind.why);
  }
  if (files.length === 0) throw new SourceError(`no CloudTrail log files in "${logDir}"`);

  const { newest, read, problems } = findNewestEvent(files);
  const skipped: Record<string, number> = {};
  for (const problem of problems) {
    countInto(skipped, problem.issue);
    await io.stderr.write(`warning: skipped "${escapeControl(problem.path)}": ${escapeControl(problem.issue)}\n`);
  }
  await io.stderr.write(newestEventSummary({ logFiles: files.length, read, skipped, other }));
  if (newest === undefined) {
    const why = problems.length === read
      ? "none of them could be read"
      : "none of them holds an event with a valid eventTime";
    throw new SourceError(`no event found in the ${files.length} log files in "${logDir}": ${why}`);
  }
  await io.stdout.write(pythonUtcTimestamp(newest) + "\n");
}
