/** `select`: CloudTrail records from a local log dir, filtered by role and time, printed as JSON. */
import { SourceError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import { expandLogDir, logDirProblem } from "../runtime/log_dir_option.ts";
import { Progress } from "../runtime/progress.ts";
import { RecordsWriter } from "../runtime/records_writer.ts";
import { timeRange } from "../runtime/time_option.ts";
import { countInto } from "../core/util/counts.ts";
import { escapeControl, revisitWarning } from "../output/escape_control.ts";
import { documentRecords } from "../core/records/record_document.ts";
import { countAssumedRoles } from "../core/records/record_filter.ts";
import { type SelectCounts, selectSummary } from "../output/select_summary.ts";
import { logDirInputs } from "../sources/log_dir_inputs.ts";
import { inputName, readInput } from "../sources/record_input.ts";
import { runStep } from "../pool/step_pool.ts";
import type { RecordFormat } from "../output/record_format.ts";
import { errorMessage } from "../core/util/error_message.ts";

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
export async function runSelect(options: SelectOptions, io: Io): Promise<void> {
  const now = io.clock.now();
  const { from, to } = timeRange(options, now);
  const logDir = expandLogDir(options.logDir, io);
  const counts: SelectCounts = {
    read: 0,
    matched: 0,
    outOfRange: 0,
    corrupt: {},
    skippedRecords: {},
    notLogFiles: {},
    gunzippedCopies: 0,
  };
  const writer = new RecordsWriter(io.stdout, options.format);
  const progress = new Progress(io, "select");
  const started = Date.now();
  let jsonBytes = 0;

  const problem = await logDirProblem(logDir);
  if (problem) throw new SourceError(`log dir "${escapeControl(logDir)}" ${escapeControl(problem)}`);
  const inputs = selectInputs(logDir, { from, to }, options, io, counts);

  const params = { filter: { from, to, roleArns: options.filterAssumedRoleArn }, format: options.format };
  const source = namingLogDir(inputs, logDir);
  for await (
    const { input, result, retried } of runStep(source, { step: "select", params, workers: options.workers })
  ) {
    counts.read++;
    if (retried) await io.stderr.write(`warning: "${inputName(input)}" read again in this thread: ${retried}\n`);
    if (!result.ok) {
      countInto(counts.corrupt, result.issue);
      await io.stderr.write(`warning: skipped "${escapeControl(inputName(input))}": ${escapeControl(result.issue)}\n`);
      continue;
    }
    for (const [issue, n] of Object.entries(result.skipped)) countInto(counts.skippedRecords, issue, n);
    await writer.addEncoded(result.out.bytes, result.out.matched);
    // Free the worker's buffer now: this thread allocates little, so V8 would collect it late.
    (result.out.bytes.buffer as ArrayBuffer & { transfer(length: number): ArrayBuffer }).transfer(0);
    counts.matched = writer.count;
    jsonBytes += result.textLength;
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    await progress.update(
      `${counts.read} files read (${(jsonBytes / 1e6 / seconds).toFixed(0)} MB/s of JSON), ` +
        `${counts.matched} records matched`,
    );
  }
  await writer.end();
  await progress.done();
  if (counts.matched === 0) await warnNoRecords(io, logDir, { from, to }, options, counts);
  await io.stderr.write(selectSummary(counts) + "\n");
}

/** The log files of the range below `logDir`; the files passed over are counted (and named with --verbose). */
function selectInputs(
  logDir: string,
  range: { from: number; to: number },
  options: SelectOptions,
  io: Io,
  counts: SelectCounts,
) {
  return logDirInputs(logDir, {
    from: range.from,
    to: range.to,
    onOtherFile: async (path, why) => {
      countInto(counts.notLogFiles, why);
      if (options.verbose) {
        await io.stderr.write(`skipped "${escapeControl(path)}": not a CloudTrail log file (${why})\n`);
      }
    },
    onOutOfRange: () => void counts.outOfRange++,
    onGunzippedCopy: async (path, gzipped) => {
      counts.gunzippedCopies++;
      if (options.verbose) {
        await io.stderr.write(
          `skipped "${escapeControl(path)}": a gunzipped copy of "${escapeControl(gzipped)}", which is read instead\n`,
        );
      }
    },
    onRevisit: (path, real) => io.stderr.write(revisitWarning(path, real)),
  });
}

/** trailscraper's warning when nothing matched, and a note on why when one is known. */
async function warnNoRecords(
  io: Io,
  logDir: string,
  { from, to }: { from: number; to: number },
  options: SelectOptions,
  counts: SelectCounts,
): Promise<void> {
  await io.stderr.write(NO_RECORDS_WARNING + "\n");
  const why = counts.read === 0
    ? `no file below "${
      escapeControl(logDir)
    }" can hold events of that time range (a log file is read when delivered between ` +
      `--from and one hour after --to, an archive file when its date= partition is in the range)`
    : options.filterAssumedRoleArn.length > 0
    ? await rolesHint(logDir, { from, to })
    : undefined;
  if (why) await io.stderr.write(`note: ${why}\n`);
}

/** The source, with a failure to walk the log dir (an unreadable folder) named as such. */
async function* namingLogDir<T>(inputs: AsyncIterable<T>, logDir: string): AsyncGenerator<T> {
  try {
    yield* inputs;
  } catch (e) {
    throw new SourceError(`cannot read log dir "${escapeControl(logDir)}": ${escapeControl(errorMessage(e))}`, {
      cause: e,
    });
  }
}

/** Files read again, when a role filter matched nothing, to name the roles that do appear. */
const HINT_FILES = 20;
/** Roles named in the hint. */
const HINT_ROLES = 5;

/** The roles of the first log files of the range, read again in this thread: what the filter could have named. */
async function rolesHint(logDir: string, range: { from: number; to: number }): Promise<string> {
  const roles = new Map<string, number>();
  let files = 0;
  for await (const input of logDirInputs(logDir, range)) {
    if (files++ === HINT_FILES) break;
    const read = readInput(input);
    const parsed = read.ok ? documentRecords(read.doc) : undefined;
    if (parsed?.ok) countAssumedRoles(parsed.records, range, roles);
  }
  const where = `${files > HINT_FILES ? `the first ${HINT_FILES}` : "the"} log files of the time range`;
  if (roles.size === 0) return `no record of an assumed role is in ${where}`;
  const top = [...roles].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, HINT_ROLES);
  return `roles that appear in ${where}: ${top.map(([arn, n]) => `${escapeControl(arn)} (${n})`).join(", ")}` +
    (roles.size > HINT_ROLES ? ` and ${roles.size - HINT_ROLES} more` : "");
}
