/** `changes`: the infrastructure changes before and during an alert, from the CloudTrail API or local logs. */
import { SourceError } from "../runtime/errors.ts";
import { withInterrupt } from "../runtime/interrupt.ts";
import type { Io } from "../runtime/io.ts";
import { expandLogDir, logDirProblem } from "../runtime/log_dir_option.ts";
import type { ChangeEvent } from "../core/changes/change_event.ts";
import type { ChangeFilter } from "../core/changes/change_filter.ts";
import { buildChangeReport, type ChangeReport, type ChangeSource } from "../core/changes/change_report.ts";
import type { RequestPacer } from "../core/util/request_pacer.ts";
import { renderChanges } from "../output/changes_report.ts";
import { breakdown, countInto, total } from "../core/util/counts.ts";
import { escapeControl } from "../output/escape_control.ts";
import { logDirInputs } from "../sources/log_dir_inputs.ts";
import { isIoError } from "../sources/io_error.ts";
import { inputName } from "../sources/record_input.ts";
import { runStep } from "../pool/step_pool.ts";
import { collectApiChanges } from "./changes_api.ts";
import { type ChangesOptions, type ChangesQuery, changesQuery } from "./changes_query.ts";
import { errorMessage } from "../core/util/error_message.ts";

/** What a collection found, and what failed on the way. */
export interface Collected {
  events: ChangeEvent[];
  regions: string[];
  errors: string[];
  /** Inputs (log files, API pages) that could not be read, by reason. */
  skippedInputs: Record<string, number>;
  /** Records of the inputs read that could not be used, by reason. */
  skippedRecords: Record<string, number>;
  /** Files in the log dir that are not log files (digests, ...), passed over by kind. */
  otherFiles: Record<string, number>;
}

/** Every input and record skipped, by reason: what the summary line and `metadata.skipped` count. */
function allSkipped(c: Collected): Record<string, number> {
  const all = { ...c.skippedInputs };
  for (const [why, n] of Object.entries(c.skippedRecords)) countInto(all, why, n);
  return all;
}

/** What `changes` found: the report and what the collection counted. */
export interface ChangesResult {
  report: ChangeReport;
  collected: Collected;
}

/** The changes of the filter, from the log dir or the CloudTrail API; with --best-effort a source's failure is reported inside. */
async function collectChanges(
  query: ChangesQuery,
  io: Io,
  { filter, pacerFor, signal }: {
    filter: ChangeFilter;
    pacerFor: ((region: string) => RequestPacer) | undefined;
    signal: AbortSignal | undefined;
  },
): Promise<{ source: ChangeSource; collected: Collected }> {
  try {
    if (query.logDir !== undefined) {
      return {
        source: "log-dir",
        collected: await collectLogDirChanges(expandLogDir(query.logDir, io), filter, query, io),
      };
    } else {
      // LookupEvents matches --resource itself (ResourceName, on the service's own index of each event's resources,
      // which may name an ARN the event's JSON holds only as a name): its answer is not filtered again.
      const collected = await collectApiChanges(
        {
          profile: query.profile,
          endpointUrl: query.endpointUrl,
          filter: { ...filter, resources: [] },
          settings: query,
          resources: query.resources,
          ...(pacerFor ? { pacerFor } : {}),
          signal,
        },
        io,
      );
      return { source: "cloudtrail-api", collected };
    }
  } catch (e) {
    if (!query.bestEffort || !(e instanceof SourceError)) throw e;
    const source = query.logDir !== undefined ? "log-dir" : "cloudtrail-api";
    const collected: Collected = {
      events: [],
      regions: query.regions,
      errors: [e.message],
      skippedInputs: {},
      skippedRecords: {},
      otherFiles: {},
    };
    return { source, collected };
  }
}

/** Finds the changes of a query and builds the report (writes nothing to stdout); shared by the command and MCP. */
export async function changesReport(
  query: ChangesQuery,
  io: Io,
  pacerFor?: (region: string) => RequestPacer,
  signal?: AbortSignal,
): Promise<ChangesResult> {
  const started = io.clock.now();
  const filter: ChangeFilter = {
    from: query.alertFrom - query.lookbackMinutes * 60_000,
    to: query.alertTo,
    categories: query.categories,
    actors: query.actors,
    includeFailed: query.includeFailed,
    resources: query.resources,
  };

  const { source, collected } = await collectChanges(query, io, { filter, pacerFor, signal });

  const report = buildChangeReport(collected.events, {
    alertFrom: query.alertFrom,
    alertTo: query.alertTo,
    lookbackMinutes: query.lookbackMinutes,
    regions: collected.regions,
    source,
    maxEvents: query.maxEvents,
    perCategory: query.perCategory,
    durationMs: Math.round(io.clock.now() - started),
    errors: collected.errors,
    skipped: allSkipped(collected),
  });
  return { report, collected };
}

/** Finds the changes, prints the report, and fails (exit 1) on any error unless --best-effort. */
export async function runChanges(options: ChangesOptions, io: Io): Promise<void> {
  const query = changesQuery(options, { now: io.clock.now(), env: io.env });
  // Ctrl-C stops the API queries at once (exit 130); the MCP server, which has no Ctrl-C of its own, passes none.
  const { report, collected } = await withInterrupt(io, (signal) => changesReport(query, io, undefined, signal));
  await io.stdout.write(renderChanges(report, options.format));
  const m = report.metadata;
  const skippedAll = allSkipped(collected);
  const skipped = total(skippedAll);
  await io.stderr.write(
    `changes: ${m.eventCount} found, ${m.shownCount} shown` +
      (skipped ? `; ${skipped} skipped (${escapeControl(breakdown(skippedAll))})` : "") +
      (m.errors.length ? `; ${m.errors.length} failed` : "") + "\n",
  );
  if (m.eventCount === 0 && query.resources.length > 0 && m.errors.length === 0) {
    await io.stderr.write(`note: ${noResourceChange(query.resources, m)}\n`);
  }
  if (collected.errors.length > 0) {
    for (const error of collected.errors) {
      await io.stderr.write(`${query.bestEffort ? "warning" : "error"}: ${escapeControl(error)}\n`);
    }
    if (!query.bestEffort) {
      throw new SourceError(`changes is incomplete: ${collected.errors.length} of its queries failed`);
    }
  }
}

/** Why a query by --resource found nothing: no change in the window named one of them. */
function noResourceChange(resources: string[], m: { windowStart: string; to: string }): string {
  const names = resources.map((r) => `"${escapeControl(r)}"`).join(" or ");
  return `no change from ${m.windowStart} to ${m.to} named ${names} (--resource): check the id, or widen the window ` +
    "with --from or --lookback";
}

/** Changes from a local log dir or the sync archive, through the worker pool. */
async function collectLogDirChanges(
  logDir: string,
  filter: ChangeFilter,
  query: Pick<ChangesQuery, "regions" | "workers" | "verbose">,
  io: Io,
): Promise<Collected> {
  const { regions } = query;
  const problem = await logDirProblem(logDir);
  if (problem) throw new SourceError(`log dir "${logDir}" ${problem}`);
  const events: ChangeEvent[] = [];
  const skipped: Record<string, number> = {};
  const skippedRecords: Record<string, number> = {};
  const otherFiles: Record<string, number> = {};
  const inputs = logDirInputs(logDir, {
    from: filter.from,
    to: filter.to,
    onOtherFile: (_path, why) => countInto(otherFiles, why),
    onGunzippedCopy: async (path, gzipped) => {
      countInto(skipped, "gunzipped copy, its .gz read");
      if (query.verbose) {
        await io.stderr.write(
          `skipped "${escapeControl(path)}": a gunzipped copy of "${escapeControl(gzipped)}", which is read instead\n`,
        );
      }
    },
  });
  try {
    for await (
      const { input, result } of runStep(inputs, { step: "changes", params: filter, workers: query.workers })
    ) {
      if (!result.ok) {
        countInto(skipped, result.issue);
        if (query.verbose) {
          await io.stderr.write(
            `warning: skipped "${escapeControl(inputName(input))}": ${escapeControl(result.issue)}\n`,
          );
        }
        continue;
      }
      for (const [why, n] of Object.entries(result.skipped)) countInto(skippedRecords, why, n);
      for (const e of result.out.events) if (regions.length === 0 || regions.includes(e.region)) events.push(e);
    }
  } catch (e) {
    if (!isIoError(e)) throw e; // a bug: never a source error that --best-effort would turn into a report line
    throw new SourceError(`cannot read log dir "${logDir}": ${errorMessage(e)}`, { cause: e });
  }
  return { events, regions, errors: [], skippedInputs: skipped, skippedRecords, otherFiles };
}
