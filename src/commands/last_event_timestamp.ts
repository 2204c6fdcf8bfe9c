/** `last-event-timestamp`: the newest event time in the local log dir or `sync` archive. */
import { relative, sep } from "node:path";
import { SourceError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import { expandLogDir, logDirProblem } from "../runtime/log_dir_option.ts";
import { countInto } from "../core/util/counts.ts";
import { classifyLocalFile } from "../core/aws/log_file_name.ts";
import { escapeControl, revisitWarning } from "../output/escape_control.ts";
import { newestEventSummary } from "../output/newest_event_summary.ts";
import { archiveLatestEvent, pythonUtcTimestamp } from "../core/records/newest_event_plan.ts";
import { NOT_REGULAR } from "../sources/log_dir_inputs.ts";
import { walkFiles } from "../sources/log_dir_walk.ts";
import { findNewestEvent, type LocalEventFile } from "../sources/newest_event.ts";

/** Options of `last-event-timestamp`. */
export interface LastEventTimestampOptions {
  logDir: string;
  verbose: boolean;
}

/**
 * Reads log files newest delivery first (archive files newest `date=` partition first) and stops when no other
 * file can hold a newer event, so it reports the true newest event, not the newest file's.
 */
export async function runLastEventTimestamp(options: LastEventTimestampOptions, io: Io): Promise<void> {
  const logDir = expandLogDir(options.logDir, io);
  const problem = await logDirProblem(logDir);
  if (problem) throw new SourceError(`log dir "${logDir}" ${problem}`);
  const files: LocalEventFile[] = [];
  const other: Record<string, number> = {};
  const walk = walkFiles(logDir, {
    onRevisit: (path, real) => io.stderr.write(revisitWarning(path, real)),
    onSpecial: () => countInto(other, NOT_REGULAR),
  });
  for await (const file of walk) {
    const kind = classifyLocalFile(file.name);
    if (kind.kind === "log") files.push({ path: file.path, delivered: kind.delivered });
    else if (kind.kind === "archive") {
      const folders = relative(logDir, file.path).split(sep).slice(0, -1);
      files.push({ path: file.path, latestEvent: archiveLatestEvent(folders) });
    } else countInto(other, kind.why);
  }
  if (files.length === 0) throw new SourceError(`no CloudTrail log files or sync archive files in "${logDir}"`);

  const { newest, read, problems, skippedRecords } = findNewestEvent(files);
  const skipped: Record<string, number> = {};
  for (const problem of problems) {
    countInto(skipped, problem.issue);
    await io.stderr.write(`warning: skipped "${escapeControl(problem.path)}": ${escapeControl(problem.issue)}\n`);
  }
  await io.stderr.write(newestEventSummary({ files: files.length, read, skipped, other, skippedRecords }));
  if (newest === undefined) {
    const why = problems.length === read
      ? "none of them could be read"
      : "none of them holds an event with a valid eventTime";
    throw new SourceError(`no event found in the ${files.length} files in "${logDir}": ${why}`);
  }
  await io.stdout.write(pythonUtcTimestamp(newest) + "\n");
}
