/** `select --use-cloudtrail-api`: records from CloudTrail LookupEvents, same filters and output as local select. */
import { Interrupted, SourceError } from "../runtime/errors.ts";
import { withInterrupt } from "../runtime/interrupt.ts";
import type { Io } from "../runtime/io.ts";
import { Progress } from "../runtime/progress.ts";
import { RecordsWriter } from "../runtime/records_writer.ts";
import { timeOption } from "../runtime/time_option.ts";
import { countInto } from "../core/util/counts.ts";
import { escapeControl } from "../output/escape_control.ts";
import { type ApiCounts, selectApiSummary } from "../output/select_summary.ts";
import { type LookupPage, lookupRegions, regionsToQuery } from "../sources/cloudtrail_lookup.ts";
import { inputName, type RecordInput } from "../sources/record_input.ts";
import { runStep } from "../pool/step_pool.ts";
import type { StepParams } from "../steps/registry.ts";
import { BAD_LINE } from "../steps/select_step.ts";
import { NO_RECORDS_WARNING, type SelectOptions } from "./select.ts";

/** Options of `select --use-cloudtrail-api`. */
export interface SelectApiOptions extends SelectOptions {
  region: string[];
  profile?: string | undefined;
  endpointUrl?: string | undefined;
}

/** How far back LookupEvents reaches. */
const NINETY_DAYS = 90 * 86_400_000;
/** How the select step's unparseable line is counted for an API page. */
const UNPARSEABLE_EVENT = "unparseable CloudTrailEvent";
/** How a page the select step could not read at all is counted. */
const UNREADABLE_PAGE = "unreadable LookupEvents page";

/** Queries every region concurrently and streams matching records as pages arrive. */
export async function runSelectApi(options: SelectApiOptions, io: Io): Promise<void> {
  const now = io.clock.now();
  const from = timeOption("--from", options.from, now);
  const to = timeOption("--to", options.to, now);
  const aws = { ...options, env: io.env };
  const regions = await regionsToQuery(options.region, aws, (text) => io.stderr.write(text));
  if (from < now - NINETY_DAYS) {
    await io.stderr.write(
      "note: the CloudTrail API only holds the last 90 days of management events (no data events); use download and select for older logs\n",
    );
  }

  const writer = new RecordsWriter(io.stdout, options.format);
  const params = { filter: { from, to, roleArns: options.filterAssumedRoleArn }, format: options.format };
  const counts: ApiCounts = { regions: regions.length, pages: 0, events: 0, throttled: 0, skipped: {} };
  const progress = new Progress(io, "select");
  const started = io.clock.now();

  const output: PageOutput = { io, writer, counts, progress, started, verbose: options.verbose };
  const lookup = { ...aws, regions, start: from, end: to, clock: io.clock, onThrottle: () => void counts.throttled++ };
  const outcome = await withInterrupt(io, async (signal) => {
    const outcome = await lookupRegions({ ...lookup, signal }, ({ pages }) => writePages(pages, params, output));
    if (!signal.aborted) return outcome;
    await progress.done();
    // Stopped at once: the records output so far stay, the document is left open (a reader sees it is incomplete).
    throw new Interrupted("select stopped");
  });
  if (outcome.fatal) throw new SourceError(outcome.fatal.message, { cause: outcome.fatal.cause });
  for (const failure of outcome.failures) await io.stderr.write(`warning: ${escapeControl(failure.message)}\n`);

  await writer.end();
  await progress.done();
  // "It might take 15 minutes for events to turn up" is advice for an empty answer, not for a failed one.
  if (writer.count === 0 && outcome.failures.length === 0) await io.stderr.write(NO_RECORDS_WARNING + "\n");
  counts.failedRegions = outcome.failures.length;
  await io.stderr.write(escapeControl(selectApiSummary(counts, writer.count)) + "\n");
  if (outcome.failures.length > 0) {
    throw new SourceError(`${outcome.failures.length} of ${regions.length} regions failed`);
  }
}

/** Where the pages of every region are counted and written. */
interface PageOutput {
  io: Io;
  writer: RecordsWriter;
  counts: ApiCounts;
  progress: Progress;
  started: number;
  verbose: boolean;
}

/** Runs the select step on a query's pages and writes the matching records as they come. */
async function writePages(pages: AsyncIterable<LookupPage>, params: StepParams<"select">, out: PageOutput) {
  const { io, writer, counts } = out;
  async function* inputs(): AsyncGenerator<RecordInput> {
    for await (const page of pages) yield counted(page, counts);
  }
  for await (const { input, result } of runStep(inputs(), { step: "select", params, workers: 0 })) {
    if (!result.ok) {
      countInto(counts.skipped, `${UNREADABLE_PAGE}: ${result.issue}`);
      if (out.verbose) {
        await io.stderr.write(`warning: skipped ${escapeControl(inputName(input))}: ${escapeControl(result.issue)}\n`);
      }
      continue;
    }
    for (const [issue, n] of Object.entries(result.skipped)) {
      countInto(counts.skipped, issue === BAD_LINE ? UNPARSEABLE_EVENT : issue, n);
    }
    await writer.addEncoded(result.out.bytes, result.out.matched);
    const rate = counts.events / Math.max((io.clock.now() - out.started) / 1000, 0.001);
    await out.progress.update(
      `${counts.pages} pages, ${counts.events} events (${rate.toFixed(0)}/s), ${writer.count} matched`,
    );
  }
}

/** Counts a page's events (and its blank ones as unparseable) and hands on its input. */
function counted(page: LookupPage, counts: ApiCounts): RecordInput {
  counts.pages++;
  counts.events += page.events;
  if (page.blank) countInto(counts.skipped, UNPARSEABLE_EVENT, page.blank);
  return page.input;
}
