/** `changes` from the CloudTrail API: write events (or events of named resources) of every region, in parallel, paced. */
import { SourceError, UsageError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { isCredentialsError } from "../core/aws_errors.ts";
import type { ChangeEvent } from "../core/change_event.ts";
import type { ChangeFilter } from "../core/change_filter.ts";
import type { ChangeSettings } from "../core/change_options.ts";
import { countInto } from "../core/counts.ts";
import type { RequestPacer } from "../core/request_pacer.ts";
import { awsClientSettings } from "../sources/aws_options.ts";
import {
  configuredRegion,
  createCloudTrailClient,
  describeLookupFailure,
  eventPageInput,
  type LookupAttribute,
  lookupEventPages,
  lookupPacer,
} from "../sources/cloudtrail_api.ts";
import type { RecordInput } from "../sources/record_input.ts";
import { runStep } from "../sources/step_pool.ts";
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
}

/** The region when none is given: the AWS config's, else us-east-1 (as the reference does). */
const FALLBACK_REGION = "us-east-1";

/**
 * Queries every region at once; in a region, one query (ReadOnly=false) or one per
 * resource id (ResourceName), sharing the region's pacer. Pages come newest first, so
 * a query stops once it holds maxEvents matches: older ones could not make the cut.
 * A failing region becomes an entry in `errors`; missing credentials fail everything.
 */
export async function collectApiChanges(query: ApiChangeQuery, io: Io): Promise<Collected> {
  const settings = awsClientSettings(query, io.env, "CLOUDTRAIL");
  const regions = query.settings.regions.length > 0 ? query.settings.regions : [await defaultRegion(settings)];
  if (query.settings.allowlist && !regions.every((r) => query.settings.allowlist!.includes(r))) {
    throw new UsageError(`the configured region "${regions[0]}" is not in the region allowlist; pass --region`);
  }
  const attributes: LookupAttribute[] = query.resources.length > 0
    ? query.resources.map((id) => ({ key: "ResourceName", value: id }))
    : [{ key: "ReadOnly", value: "false" }];
  const events: ChangeEvent[] = [];
  const errors: string[] = [];
  const skipped: Record<string, number> = {};
  const controller = new AbortController();

  await Promise.all(regions.map(async (region) => {
    const client = await createCloudTrailClient(settings, region);
    const pacer = query.pacerFor?.(region) ?? lookupPacer();
    try {
      await Promise.all(
        attributes.map((attribute) =>
          queryRegion(client, { region, attribute, pacer, query, io, signal: controller.signal, events, skipped })
        ),
      );
    } catch (error) {
      const message = describeLookupFailure(error, region);
      if (isCredentialsError(error)) {
        controller.abort();
        throw new SourceError(message, { cause: error });
      }
      errors.push(message);
    } finally {
      client.destroy();
    }
  }));
  return { events, regions, errors, skipped };
}

interface RegionQuery {
  region: string;
  attribute: LookupAttribute;
  pacer: RequestPacer;
  query: ApiChangeQuery;
  io: Io;
  signal: AbortSignal;
  events: ChangeEvent[];
  skipped: Record<string, number>;
}

async function queryRegion(
  client: Awaited<ReturnType<typeof createCloudTrailClient>>,
  q: RegionQuery,
): Promise<void> {
  const stop = new AbortController();
  const signal = AbortSignal.any([q.signal, stop.signal]);
  const pages = lookupEventPages(client, {
    start: q.query.filter.from,
    end: q.query.filter.to,
    signal,
    clock: q.io.clock,
    attribute: q.attribute,
    pacer: q.pacer,
  });
  let page = 0;
  async function* inputs(): AsyncGenerator<RecordInput> {
    for await (const events of pages) {
      const blank = events.filter((e) => e.trim() === "").length;
      if (blank) countInto(q.skipped, "unparseable CloudTrailEvent", blank);
      yield eventPageInput(events, `LookupEvents ${q.region} page ${++page}`);
    }
  }
  let matched = 0;
  for await (const { result } of runStep(inputs(), { step: "changes", params: q.query.filter, workers: 0 })) {
    if (!result.ok) continue;
    for (const [issue, n] of Object.entries(result.skipped)) countInto(q.skipped, issue, n);
    q.events.push(...result.out.events);
    matched += result.out.events.length;
    if (matched >= q.query.settings.maxEvents) stop.abort();
  }
}

async function defaultRegion(settings: Parameters<typeof createCloudTrailClient>[0]): Promise<string> {
  const probe = await createCloudTrailClient(settings, undefined);
  try {
    return (await configuredRegion(probe)) ?? FALLBACK_REGION;
  } catch (e) {
    throw new SourceError(`cannot read the AWS configuration: ${e instanceof Error ? e.message : e}`, { cause: e });
  } finally {
    probe.destroy();
  }
}
