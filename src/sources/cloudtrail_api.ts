/**
 * Pages through CloudTrail LookupEvents for one region within its rate limit
 * (2 requests per second per account and region), retrying throttling and transient
 * failures a bounded number of times. Loads the SDK lazily.
 */
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { describeAwsError, isThrottling, isTransient } from "../core/aws/aws_errors.ts";
import type { Clock } from "../core/util/clock.ts";
import { RequestPacer } from "../core/util/request_pacer.ts";
import { endpointOnErrors } from "./endpoint_on_errors.ts";
import type { AwsClientSettings } from "./aws_options.ts";
import type { RecordInput } from "./record_input.ts";
import { withRetries } from "./retry.ts";
import { systemClock } from "./system_clock.ts";

/** LookupEvents allows this many requests per second per account and region. */
const LOOKUP_EVENTS_PER_SECOND = 2;
/** Events per LookupEvents page, the service's maximum. */
const LOOKUP_PAGE_SIZE = 50;
/** Attempts per page, throttled ones included: with the pacer, throttling is rare; past this it is a failure. */
export const LOOKUP_ATTEMPTS = 8;
/** Backoff between attempts: 1 s doubling, at most 20 s. */
const LOOKUP_BACKOFF = { baseMs: 1000, capMs: 20_000 };

/** Creates a CloudTrail client for `region`; its errors name a chosen endpoint. */
export async function createCloudTrailClient(settings: AwsClientSettings, region: string): Promise<CloudTrailClient> {
  const { CloudTrailClient } = await import("@aws-sdk/client-cloudtrail");
  const { forcePathStyle: _p, followRegionRedirects: _f, ...rest } = settings;
  return endpointOnErrors(new CloudTrailClient({ ...rest, region }), settings.endpoint);
}

/** Options of {@link lookupEventPages}. */
export interface LookupOptions {
  start: number;
  end: number;
  signal: AbortSignal;
  /** Called when the service throttles; the page is retried after a backoff. */
  onThrottle?: () => void;
  clock?: Clock;
  /** One LookupEvents attribute to filter on (the API takes one per request), e.g. ReadOnly=false. */
  attribute?: LookupAttribute;
  /** The region's pacer, shared by every query of that region so that together they keep to the limit. */
  pacer?: RequestPacer;
}

/** A LookupEvents attribute filter. */
export interface LookupAttribute {
  key: "ReadOnly" | "ResourceName" | "EventName" | "EventSource" | "Username" | "ResourceType" | "EventId";
  value: string;
}

/**
 * One line for a region whose LookupEvents failed: throttled past the retries, denied
 * (naming the permission), an endpoint that cannot be reached (naming it), or the service's words.
 */
export function describeLookupFailure(error: unknown, region: string, endpoint?: string): string {
  if (isThrottling(error)) {
    return `CloudTrail throttled LookupEvents in ${region} ${LOOKUP_ATTEMPTS} times in a row; try again later, ` +
      "or query fewer regions at once";
  }
  return describeAwsError(error, {
    doing: `looking up events in ${region}`,
    permission: "cloudtrail:LookupEvents",
    resource: "* (LookupEvents takes no resource)",
    endpoint,
  });
}

/** A pacer for one region's LookupEvents calls. */
export function lookupPacer(): RequestPacer {
  return new RequestPacer(LOOKUP_EVENTS_PER_SECOND);
}

/** Yields the `CloudTrailEvent` JSON strings of each page, newest first as the API returns them. */
export async function* lookupEventPages(client: CloudTrailClient, options: LookupOptions): AsyncGenerator<string[]> {
  const { LookupEventsCommand } = await import("@aws-sdk/client-cloudtrail");
  const clock = options.clock ?? systemClock;
  const pacer = options.pacer ?? lookupPacer();
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    if (options.signal.aborted) return;
    const page = await withRetries(async () => {
      await clock.sleep(pacer.reserve(clock.now()), options.signal);
      options.signal.throwIfAborted();
      return await client.send(
        new LookupEventsCommand({
          StartTime: new Date(options.start),
          EndTime: new Date(options.end),
          MaxResults: LOOKUP_PAGE_SIZE,
          ...(options.attribute
            ? { LookupAttributes: [{ AttributeKey: options.attribute.key, AttributeValue: options.attribute.value }] }
            : {}),
          ...(token ? { NextToken: token } : {}),
        }),
        { abortSignal: options.signal },
      );
    }, {
      ...LOOKUP_BACKOFF,
      attempts: LOOKUP_ATTEMPTS,
      signal: options.signal,
      clock,
      retryable: (e) => isThrottling(e) || isTransient(e),
      onRetry: (e) => isThrottling(e) && options.onThrottle?.(),
    }).catch((error) => {
      if (options.signal.aborted) return undefined;
      throw error;
    });
    if (!page) return;
    yield (page.Events ?? []).map((e) => e.CloudTrailEvent ?? "");
    token = page.NextToken;
    // A token seen before would page in a circle forever (a broken endpoint): that is a failure of the region.
    if (token && seen.has(token)) throw new Error(`LookupEvents returned a NextToken it had returned before`);
    if (token) seen.add(token);
  } while (token);
}

/**
 * A page of events as a step input: one event per line (raw line breaks in an
 * event's JSON are white space, so they become spaces). Blank events are left out
 * and counted by the caller.
 */
export function eventPageInput(events: string[], name: string): RecordInput {
  const lines = events.filter((e) => e.trim() !== "").map((e) => e.replace(/[\r\n]+/g, " "));
  return { kind: "text", name, doc: { text: lines.join("\n"), format: "lines" } };
}
