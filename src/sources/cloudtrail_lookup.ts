/**
 * The one multi-region CloudTrail LookupEvents source of `select --use-cloudtrail-api`,
 * `changes` and the MCP events query: every region at once, one query per attribute
 * in a region, each region on its pacer. One rule for failures: a failing region is a
 * failure of that region (one line each); missing credentials or an endpoint that
 * cannot be reached stop every region (every other call would fail the same way);
 * anything else is a bug and is thrown.
 */
import { isFatalAwsError } from "../core/aws/aws_errors.ts";
import type { Clock } from "../core/util/clock.ts";
import type { RequestPacer } from "../core/util/request_pacer.ts";
import type { EnvReader } from "./aws_credentials.ts";
import { awsClientSettings, type AwsOptions, checkEndpoint, regionOrFallback } from "./aws_options.ts";
import {
  createCloudTrailClient,
  describeLookupFailure,
  eventPageInput,
  type LookupAttribute,
  lookupEventPages,
  lookupPacer,
} from "./cloudtrail_api.ts";
import type { RecordInput } from "./record_input.ts";

/** One page of a query, as a step input. */
export interface LookupPage {
  input: RecordInput;
  /** Events on the page. */
  events: number;
  /** Blank `CloudTrailEvent`s on the page, left out of `input` (count them as unparseable). */
  blank: number;
}

/** One LookupEvents query of one region, handed to the consumer. */
export interface RegionQuery {
  region: string;
  attribute: LookupAttribute | undefined;
  pages: AsyncIterable<LookupPage>;
  /** Ends this query: no page is asked for after the one in hand (the consumer has enough). */
  stop(): void;
}

/** A region whose lookup failed, and why in one line. */
export interface RegionFailure {
  region: string;
  message: string;
  cause: unknown;
}

/** What {@link lookupRegions} ended with. */
export interface LookupOutcome {
  /** Regions that failed on their own (throttled past the retries, denied, a service error). */
  failures: RegionFailure[];
  /** A failure that stopped every region: no credentials, or an endpoint that cannot be reached. */
  fatal?: RegionFailure;
}

/** Options of {@link lookupRegions}. */
export interface RegionLookupOptions extends AwsOptions {
  regions: string[];
  start: number;
  end: number;
  env: EnvReader;
  clock: Clock;
  /** One query per attribute in each region (the API takes one per request); none: one query of every event. */
  attributes?: LookupAttribute[];
  /** The region's pacer when several lookups share the limit (the MCP server); else one per region. */
  pacerFor?: (region: string) => RequestPacer;
  onThrottle?: (region: string) => void;
  /** Stops every query at once (Ctrl-C): pending requests are aborted; the caller tells the user. */
  signal?: AbortSignal | undefined;
}

/** Said after the region fallback of a lookup. */
const QUERY_HINT = "; pass --region (repeatable) to query other regions";

/**
 * The regions to query: those asked for (each once), else the configured region, else the fallback (said through
 * `note`). The endpoint is checked first, so that its usage error comes before any note.
 */
export async function regionsToQuery(
  asked: string[],
  options: AwsOptions & { env: EnvReader },
  note: (text: string) => Promise<void>,
): Promise<string[]> {
  await checkEndpoint(options, options.env, "CLOUDTRAIL");
  return asked.length > 0 ? [...new Set(asked)] : [await regionOrFallback(options, options.env, note, QUERY_HINT)];
}

/** A lookup error, told apart from the consumer's own errors (which are bugs). */
class LookupFailed extends Error {
  constructor(readonly region: string, override readonly cause: unknown) {
    super(`LookupEvents failed in ${region}`, { cause });
  }
}

async function* pagesOf(client: Parameters<typeof lookupEventPages>[0], region: string, options: {
  lookup: Parameters<typeof lookupEventPages>[1];
}): AsyncGenerator<LookupPage> {
  let page = 0;
  const pages = lookupEventPages(client, options.lookup);
  for (;;) {
    let next: IteratorResult<string[]>;
    try {
      next = await pages.next();
    } catch (error) {
      throw new LookupFailed(region, error);
    }
    if (next.done) return;
    const events = next.value;
    const blank = events.filter((e) => e.trim() === "").length;
    yield { input: eventPageInput(events, `LookupEvents ${region} page ${++page}`), events: events.length, blank };
  }
}

/** The LookupEvents parameters of one query of `region`, stopped by any of `stops` or the caller's signal. */
function lookupOf(
  options: RegionLookupOptions,
  region: string,
  { attribute, pacer, stops }: { attribute: LookupAttribute | undefined; pacer: RequestPacer; stops: AbortSignal[] },
): Parameters<typeof lookupEventPages>[1] {
  return {
    start: options.start,
    end: options.end,
    signal: AbortSignal.any([...stops, ...(options.signal ? [options.signal] : [])]),
    clock: options.clock,
    pacer,
    ...(attribute ? { attribute } : {}),
    onThrottle: () => options.onThrottle?.(region),
  };
}

/**
 * Runs `consume` on every query of every region concurrently and settles them all.
 * Returns the failed regions; throws what is not a lookup failure (a bug) once every
 * region has stopped.
 */
export async function lookupRegions(
  options: RegionLookupOptions,
  consume: (query: RegionQuery) => Promise<void>,
): Promise<LookupOutcome> {
  const all = new AbortController();
  const base = await awsClientSettings(options, options.env, "CLOUDTRAIL", options.regions[0] ?? "");
  const outcome: LookupOutcome = { failures: [] };
  let bug: { error: unknown } | undefined;
  const attributes: (LookupAttribute | undefined)[] = options.attributes?.length ? options.attributes : [undefined];

  // A region named twice is queried once: two queries would share nothing, not even the pacer, and be throttled.
  await Promise.all([...new Set(options.regions)].map(async (region) => {
    const client = await createCloudTrailClient(base, region);
    const pacer = options.pacerFor?.(region) ?? lookupPacer();
    const inRegion = new AbortController(); // a failing query stops the region's other queries
    const settled = await Promise.allSettled(attributes.map(async (attribute) => {
      const stop = new AbortController();
      const lookup = lookupOf(options, region, { attribute, pacer, stops: [all.signal, inRegion.signal, stop.signal] });
      try {
        await consume({ region, attribute, pages: pagesOf(client, region, { lookup }), stop: () => stop.abort() });
      } catch (error) {
        inRegion.abort();
        throw error;
      }
    }));
    client.destroy();
    const errors = settled.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    const unexpected = errors.find((e) => !(e instanceof LookupFailed));
    if (unexpected !== undefined) {
      bug ??= { error: unexpected };
      all.abort();
      return;
    }
    const failed = errors[0] as LookupFailed | undefined;
    if (!failed) return;
    const failure = {
      region,
      message: describeLookupFailure(failed.cause, region, base.endpoint),
      cause: failed.cause,
    };
    if (isFatalAwsError(failed.cause)) {
      outcome.fatal ??= failure;
      all.abort();
    } else {
      outcome.failures.push(failure);
    }
  }));
  if (bug) throw bug.error;
  return outcome;
}
