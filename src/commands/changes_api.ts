/** `changes` from the CloudTrail API: write events (or events of named resources) of every region, in parallel, paced. */
import { Interrupted, SourceError, UsageError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import type { ChangeEvent } from "../core/changes/change_event.ts";
import type { ChangeFilter } from "../core/changes/change_filter.ts";
import type { ChangeSettings } from "../core/changes/change_options.ts";
import { countInto } from "../core/util/counts.ts";
import type { RequestPacer } from "../core/util/request_pacer.ts";
import type { LookupAttribute } from "../sources/cloudtrail_api.ts";
import { lookupRegions, regionsToQuery } from "../sources/cloudtrail_lookup.ts";
import type { RecordInput } from "../sources/record_input.ts";
import { runStep } from "../pool/step_pool.ts";
import { BAD_LINE } from "../steps/select_step.ts";
import type { Collected } from "./changes.ts";

/** What an API collection needs. */
export interface ApiChangeQuery {
  filter: ChangeFilter;
  settings: ChangeSettings;
  /** Resource ids to look up by ResourceName instead of all write events. */
  resources: string[];
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  /** The pacer of a region, when several queries share the limit (the MCP server); else one per call. */
  pacerFor?: (region: string) => RequestPacer;
  /** Ctrl-C: every query stops at once, and the collection throws {@link Interrupted}. */
  signal?: AbortSignal | undefined;
}

/** How a blank `CloudTrailEvent` is counted. */
const UNPARSEABLE_EVENT = "unparseable CloudTrailEvent";
/** How a page the changes step could not read at all is counted. */
const UNREADABLE_PAGE = "unreadable LookupEvents page";

/**
 * Queries every region at once; in a region, one query (ReadOnly=false) or one per
 * resource id (ResourceName), sharing the region's pacer. Pages come newest first, so
 * a query stops once it holds maxEvents matches: older ones could not make the cut.
 * A failing region becomes an entry in `errors`; missing credentials or an endpoint
 * that cannot be reached fail everything; a bug is thrown as it is.
 */
export async function collectApiChanges(query: ApiChangeQuery, io: Io): Promise<Collected> {
  const aws = { ...query, env: io.env };
  const regions = await regionsToQuery(query.settings.regions, aws, (text) => io.stderr.write(text));
  if (query.settings.allowlist && !regions.every((r) => query.settings.allowlist!.includes(r))) {
    throw new UsageError(`the configured region "${regions[0]}" is not in the region allowlist; pass --region`);
  }
  const attributes: LookupAttribute[] = query.resources.length > 0
    ? query.resources.map((id) => ({ key: "ResourceName", value: id }))
    : [{ key: "ReadOnly", value: "false" }];
  const events: ChangeEvent[] = [];
  const skippedInputs: Record<string, number> = {};
  const skipped: Record<string, number> = {}; // records

  const outcome = await lookupRegions(
    {
      ...aws,
      regions,
      attributes,
      start: query.filter.from,
      end: query.filter.to,
      clock: io.clock,
      ...pacing(query),
      signal: query.signal,
    },
    async ({ pages, stop }) => {
      async function* inputs(): AsyncGenerator<RecordInput> {
        for await (const page of pages) {
          if (page.blank) countInto(skipped, UNPARSEABLE_EVENT, page.blank);
          yield page.input;
        }
      }
      let matched = 0;
      for await (const { result } of runStep(inputs(), { step: "changes", params: query.filter, workers: 0 })) {
        if (!result.ok) {
          countInto(skippedInputs, `${UNREADABLE_PAGE}: ${result.issue}`);
          continue;
        }
        for (const [issue, n] of Object.entries(result.skipped)) {
          countInto(skipped, issue === BAD_LINE ? UNPARSEABLE_EVENT : issue, n);
        }
        events.push(...result.out.events);
        matched += result.out.events.length;
        if (matched >= query.settings.maxEvents) stop();
      }
    },
  );
  if (query.signal?.aborted) throw new Interrupted("changes stopped");
  if (outcome.fatal) throw new SourceError(outcome.fatal.message, { cause: outcome.fatal.cause });
  const errors = outcome.failures.map((f) => f.message);
  return { events, regions, errors, skippedInputs, skippedRecords: skipped, otherFiles: {} };
}

function pacing(query: ApiChangeQuery): { pacerFor?: (region: string) => RequestPacer } {
  return query.pacerFor ? { pacerFor: query.pacerFor } : {};
}
