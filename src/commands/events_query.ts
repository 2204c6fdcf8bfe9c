/**
 * CloudTrail records of one principal (role, user or session ARN) in a time window,
 * from a local log dir (or the sync archive) or LookupEvents, at most `maxEvents`:
 * `select` for the MCP tools, returning records instead of printing them.
 */
import { SourceError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import { countInto } from "../core/util/counts.ts";
import type { RecordFilter } from "../core/records/record_filter.ts";
import type { RequestPacer } from "../core/util/request_pacer.ts";
import { lookupRegions } from "../sources/cloudtrail_lookup.ts";
import { logDirInputs } from "../sources/log_dir_inputs.ts";
import type { RecordInput } from "../sources/record_input.ts";
import { runStep } from "../pool/step_pool.ts";
import type { StepResult } from "../steps/record_step.ts";
import type { SelectOut } from "../steps/select_step.ts";

/** What to fetch. */
export interface EventsQuery {
  /** A role ARN (matched as the session issuer), an IAM user ARN or a session ARN; none: everyone. */
  principalArn?: string | undefined;
  from: number;
  to: number;
  regions: string[];
  maxEvents: number;
  logDir?: string | undefined;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  pacerFor?: (region: string) => RequestPacer;
  workers?: number;
}

/** What came back. */
export interface EventsResult {
  records: Record<string, unknown>[];
  /** More matched than `maxEvents`. */
  truncated: boolean;
  source: "log-dir" | "cloudtrail-api";
  errors: string[];
  /** Inputs (log files, API pages) that could not be read, by reason. */
  skippedInputs: Record<string, number>;
  /** Files in the log dir that are not log files (digests, ...), passed over by kind, as `select` counts them. */
  otherFiles: Record<string, number>;
  /** Records of the inputs read that could not be used, by reason. */
  skippedRecords: Record<string, number>;
  /** Inputs read. */
  inputs: number;
}

function filterOf(q: EventsQuery): RecordFilter {
  const arns = q.principalArn ? [q.principalArn] : [];
  return { from: q.from, to: q.to, roleArns: arns, identityArns: arns };
}

/** Reads matching records until `maxEvents` (+1, to know whether there were more). */
export async function queryEvents(q: EventsQuery, io: Io): Promise<EventsResult> {
  const params = { filter: filterOf(q), format: "jsonl" as const };
  const records: Record<string, unknown>[] = [];
  const decoder = new TextDecoder();
  const take = (bytes: Uint8Array) => {
    for (const line of decoder.decode(bytes).split("\n")) {
      if (line !== "" && records.length <= q.maxEvents) records.push(JSON.parse(line));
    }
  };
  const full = () => records.length > q.maxEvents;
  const counted = {
    inputs: 0,
    skippedInputs: {} as Record<string, number>,
    otherFiles: {} as Record<string, number>,
    skippedRecords: {} as Record<string, number>,
  };
  const tally = (result: StepResult<SelectOut>) => {
    counted.inputs++;
    if (!result.ok) return countInto(counted.skippedInputs, result.issue);
    for (const [why, n] of Object.entries(result.skipped)) countInto(counted.skippedRecords, why, n);
    take(result.out.bytes);
  };
  if (q.logDir !== undefined) {
    const stop = new AbortController();
    const inputs = logDirInputs(q.logDir, {
      from: q.from,
      to: q.to,
      signal: stop.signal,
      onOtherFile: (_path, why) => countInto(counted.otherFiles, why),
    });
    try {
      for await (
        const { result } of runStep(inputs, { step: "select", params, workers: q.workers ?? 0, signal: stop.signal })
      ) {
        tally(result);
        if (full()) stop.abort();
      }
    } catch (e) {
      throw new SourceError(`cannot read log dir "${q.logDir}": ${e instanceof Error ? e.message : e}`, { cause: e });
    }
    return { records: records.slice(0, q.maxEvents), truncated: full(), source: "log-dir", errors: [], ...counted };
  }
  const outcome = await lookupRegions(
    { ...q, env: io.env, start: q.from, end: q.to, clock: io.clock },
    async ({ pages, stop }) => {
      async function* inputs(): AsyncGenerator<RecordInput> {
        for await (const page of pages) yield page.input;
      }
      for await (const { result } of runStep(inputs(), { step: "select", params, workers: 0 })) {
        tally(result);
        if (full()) stop();
      }
    },
  );
  if (outcome.fatal) throw new SourceError(outcome.fatal.message, { cause: outcome.fatal.cause });
  const errors = outcome.failures.map((f) => f.message);
  return { records: records.slice(0, q.maxEvents), truncated: full(), source: "cloudtrail-api", errors, ...counted };
}
