/** `select`: CloudTrail records from a local log dir, filtered by role and time, printed as JSON. */
import { SourceError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { expandLogDir, logDirProblem } from "../cli/log_dir.ts";
import { Progress } from "../cli/progress.ts";
import { timeOption } from "../cli/time_option.ts";
import { deliveredInRange, folderMayHoldRange, nonLogFileKind, parseLogFileName } from "../core/log_file_name.ts";
import type { RecordFormat } from "../core/record_selector.ts";
import { RecordsWriter } from "../output/records_writer.ts";
import { countInto } from "../output/counts.ts";
import { type SelectCounts, selectSummary } from "../output/select_summary.ts";
import { walkFiles } from "../sources/log_dir_walk.ts";
import { selectFiles } from "../sources/select_pool.ts";

/** Options of `select`. */
export interface SelectOptions {
  logDir: string;
  filterAssumedRoleArn: string[];
  from: string;
  to: string;
  format: RecordFormat;
  workers: number;
  verbose: boolean;
}

/** trailscraper's warning when nothing matched, word for word. */
export const NO_RECORDS_WARNING = "No records matching your criteria found! Did you use the right filters? " +
  "Did you download the right logfiles? It might take about 15 minutes for events to turn up in CloudTrail logs.";

/** Streams the matching records of the log dir to stdout, in sorted path order. */
export async function runSelect(options: SelectOptions, io: Io, now = Date.now()): Promise<void> {
  const from = timeOption("--from", options.from, now);
  const to = timeOption("--to", options.to, now);
  const logDir = expandLogDir(options.logDir, io);
  const counts: SelectCounts = { read: 0, matched: 0, outOfRange: 0, corrupt: {}, skippedRecords: {}, notLogFiles: {} };
  const writer = new RecordsWriter(io.stdout, options.format);
  const progress = new Progress(io, "select");
  const started = Date.now();
  let jsonBytes = 0;

  const problem = await logDirProblem(logDir);
  const exists = problem === undefined;
  if (problem) await io.stderr.write(`warning: log dir "${logDir}" ${problem}\n`);

  async function* candidates(): AsyncGenerator<string> {
    if (!exists) return;
    const files = walkFiles(logDir, { enterFolder: (parts) => folderMayHoldRange(parts, from, to) });
    try {
      for await (const file of files) {
        const name = parseLogFileName(file.name);
        if (!name) {
          const kind = nonLogFileKind(file.name);
          countInto(counts.notLogFiles, kind);
          if (options.verbose) await io.stderr.write(`skipped "${file.path}": not a CloudTrail log file (${kind})\n`);
        } else if (!deliveredInRange(name.delivered, from, to)) counts.outOfRange++;
        else yield file.path;
      }
    } catch (e) {
      throw new SourceError(`cannot read log dir "${logDir}": ${e instanceof Error ? e.message : e}`, { cause: e });
    }
  }

  const filter = { from, to, roleArns: options.filterAssumedRoleArn };
  for await (
    const { path, result } of selectFiles(candidates(), { filter, format: options.format, workers: options.workers })
  ) {
    counts.read++;
    if (!result.ok) {
      countInto(counts.corrupt, result.issue);
      await io.stderr.write(`warning: skipped "${path}": ${result.issue}\n`);
      continue;
    }
    for (const [issue, n] of Object.entries(result.skipped)) countInto(counts.skippedRecords, issue, n);
    await writer.addEncoded(result.bytes, result.matched);
    // Free the worker's buffer now: this thread allocates little, so V8 would collect it late.
    (result.bytes.buffer as ArrayBuffer & { transfer(length: number): ArrayBuffer }).transfer(0);
    counts.matched = writer.count;
    if (result.ok) jsonBytes += result.textLength;
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    await progress.update(
      `${counts.read} files read (${
        (jsonBytes / 1e6 / seconds).toFixed(0)
      } MB/s of JSON), ${counts.matched} records matched`,
    );
  }
  await writer.end();
  await progress.done();
  if (counts.matched === 0) await io.stderr.write(NO_RECORDS_WARNING + "\n");
  await io.stderr.write(selectSummary(counts) + "\n");
}
