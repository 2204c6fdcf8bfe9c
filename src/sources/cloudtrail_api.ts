/**
 * Pages through CloudTrail LookupEvents for one region within its rate limit
 * (2 requests per second per account and region), never failing on throttling.
 * Loads the SDK lazily.
 */
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { backoffMs, RequestPacer } from "../core/request_pacer.ts";
import { awsErrorCode } from "./aws_errors.ts";
import type { AwsClientSettings } from "./aws_options.ts";
import { isTransient } from "./retry.ts";

/** LookupEvents allows this many requests per second per account and region. */
export const LOOKUP_EVENTS_PER_SECOND = 2;

/** Creates a CloudTrail client for `region` (or the SDK's default region when undefined). */
export async function createCloudTrailClient(
  settings: AwsClientSettings,
  region: string | undefined,
): Promise<CloudTrailClient> {
  const { CloudTrailClient } = await import("@aws-sdk/client-cloudtrail");
  const { region: _default, forcePathStyle: _p, followRegionRedirects: _f, ...rest } = settings;
  // Throttling is paced and retried here, so the SDK makes one attempt per call.
  return new CloudTrailClient({ ...rest, ...(region ? { region } : {}), maxAttempts: 1 });
}

/** The region a client resolved from the SDK's chain (env, profile), or undefined when none is configured. */
export async function configuredRegion(client: CloudTrailClient): Promise<string | undefined> {
  try {
    return await client.config.region();
  } catch {
    return undefined;
  }
}

/** Options of {@link lookupEventPages}. */
export interface LookupOptions {
  start: number;
  end: number;
  signal: AbortSignal;
  /** Called when the service throttles; the page is retried after a backoff. */
  onThrottle?: () => void;
  clock?: { now(): number; sleep(ms: number): Promise<void> };
  random?: () => number;
}

const defaultClock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };

/** Yields the `CloudTrailEvent` JSON strings of each page, newest first as the API returns them. */
export async function* lookupEventPages(client: CloudTrailClient, options: LookupOptions): AsyncGenerator<string[]> {
  const { LookupEventsCommand } = await import("@aws-sdk/client-cloudtrail");
  const clock = options.clock ?? defaultClock;
  const random = options.random ?? Math.random;
  const pacer = new RequestPacer(LOOKUP_EVENTS_PER_SECOND);
  let token: string | undefined;
  do {
    let attempt = 0;
    for (;;) {
      const wait = pacer.reserve(clock.now());
      if (wait > 0) await clock.sleep(wait);
      if (options.signal.aborted) return;
      try {
        const page = await client.send(
          new LookupEventsCommand({
            StartTime: new Date(options.start),
            EndTime: new Date(options.end),
            MaxResults: 50,
            ...(token ? { NextToken: token } : {}),
          }),
          { abortSignal: options.signal },
        );
        yield (page.Events ?? []).map((e) => e.CloudTrailEvent ?? "");
        token = page.NextToken;
        break;
      } catch (error) {
        if (options.signal.aborted) return;
        attempt++;
        const code = awsErrorCode(error);
        const throttled = code === "ThrottlingException" || code === "TooManyRequestsException";
        if (throttled) options.onThrottle?.();
        else if (!isTransient(error) || attempt >= 5) throw error;
        await clock.sleep(backoffMs(Math.min(attempt, 6), random()));
      }
    }
  } while (token);
}
