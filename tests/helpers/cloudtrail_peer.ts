/**
 * A CloudTrail API peer for tests: the JSON 1.1 protocol on 127.0.0.1
 * (`X-Amz-Target: CloudTrail_20131101.LookupEvents` / `DescribeTrails` / `ListPublicKeys`), with
 * StartTime/EndTime filtering, NextToken paging (newest first), a per-region
 * token bucket of 2 requests per second like the real service, and faults on demand.
 */

/** Options of {@link startCloudTrailPeer}. */
export interface CloudTrailPeerOptions {
  /** Events per region: records, or raw `CloudTrailEvent` strings (to test unparseable ones). */
  events: Record<string, (Record<string, unknown> | string)[]>;
  /** Requests per second per region before ThrottlingException (burst of the same size). */
  ratePerSecond?: number;
  /** Also throttle every Nth LookupEvents request of a region. */
  throttleEvery?: number;
  /** Answer every LookupEvents with AccessDeniedException. */
  deny?: boolean;
  /** Answer every LookupEvents with this error (a `__type` and a message the endpoint chose). */
  failWith?: { type: string; message: string };
  /** Called when a LookupEvents request arrives; the answer waits for the promise it returns (a slow endpoint). */
  onLookup?: (region: string) => Promise<void> | void;
  /** Page in a circle: the second page's NextToken leads back to the first (a broken endpoint). */
  circularTokens?: boolean;
  /** The clock of the token bucket and of `SeenRequest.at` (default: wall time); a VirtualClock in pacing tests. */
  clock?: { now(): number };
  /** DescribeTrails' answer per region (a multi-region trail appears in each, as the service's shadow trails do). */
  trails?: Record<string, Record<string, unknown>[]>;
  /** ListPublicKeys' keys (`{ Value: <base64 DER>, Fingerprint, ... }`), the same in every region, one per page. */
  publicKeys?: Record<string, unknown>[];
}

/** A request the peer answered. */
export interface SeenRequest {
  region: string;
  target: string;
  body: Record<string, unknown>;
  at: number;
  status: number;
}

/** A running peer. */
export interface CloudTrailPeer {
  endpoint: string;
  requests: SeenRequest[];
  stop(): Promise<void>;
}

function jsonResponse(status: number, body: unknown, errorType?: string): Response {
  const headers: Record<string, string> = { "content-type": "application/x-amz-json-1.1" };
  if (errorType) headers["x-amzn-errortype"] = errorType;
  return new Response(JSON.stringify(body), { status, headers });
}

function eventTimeOf(event: Record<string, unknown> | string): number {
  if (typeof event === "string") return Number.MAX_SAFE_INTEGER; // unparseable: always in range, newest
  return Date.parse(String(event.eventTime));
}

/**
 * LookupEvents' attribute filters as the service applies them: ReadOnly by the
 * record's `readOnly`, EventName and EventSource exactly, ResourceName when the id
 * occurs as a value in the request, the response or `resources`.
 */
function matchesAttribute(event: Record<string, unknown>, key: string, value: string): boolean {
  switch (key) {
    case "ReadOnly":
      return String(event.readOnly ?? false) === value;
    case "EventName":
      return event.eventName === value;
    case "EventSource":
      return event.eventSource === value;
    case "ResourceName":
      return [event.requestParameters, event.responseElements, event.resources].some((part) =>
        JSON.stringify(part ?? null).includes(JSON.stringify(value))
      );
    default:
      throw new Error(`the test peer does not filter on ${key}`);
  }
}

/** Starts the peer; events are served newest first, 50 per page at most. */
export function startCloudTrailPeer(options: CloudTrailPeerOptions): CloudTrailPeer {
  const rate = options.ratePerSecond ?? 2;
  const clock = options.clock ?? { now: () => performance.now() };
  const buckets = new Map<string, { tokens: number; at: number }>();
  const counters = new Map<string, number>();
  const requests: SeenRequest[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const target = request.headers.get("x-amz-target") ?? "";
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(request.headers.get("authorization") ?? "")?.[1] ?? "?";
    const body = JSON.parse((await request.text()) || "{}") as Record<string, unknown>;
    const now = clock.now();
    const respond = (response: Response) => {
      requests.push({ region, target, body, at: now, status: response.status });
      return response;
    };
    if (target === "CloudTrail_20131101.DescribeTrails") {
      return respond(jsonResponse(200, { trailList: options.trails?.[region] ?? [] }));
    }
    if (target === "CloudTrail_20131101.ListPublicKeys") {
      const keys = options.publicKeys ?? [];
      const offset = body.NextToken ? Number(atob(String(body.NextToken))) : 0;
      const next = offset + 1 < keys.length ? { NextToken: btoa(String(offset + 1)) } : {};
      return respond(jsonResponse(200, { PublicKeyList: keys.slice(offset, offset + 1), ...next }));
    }
    if (target !== "CloudTrail_20131101.LookupEvents") {
      return respond(
        jsonResponse(400, { __type: "UnknownOperationException", message: target }, "UnknownOperationException"),
      );
    }
    if (target === "CloudTrail_20131101.LookupEvents") await options.onLookup?.(region);
    if (options.failWith && target === "CloudTrail_20131101.LookupEvents") {
      const { type, message } = options.failWith;
      return respond(jsonResponse(400, { __type: type, message }, type));
    }
    if (options.deny) {
      const message = `User: arn:aws:iam::111122223333:user/test is not authorized to perform: cloudtrail:LookupEvents`;
      return respond(jsonResponse(400, { __type: "AccessDeniedException", message }, "AccessDeniedException"));
    }
    const bucket = buckets.get(region) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    buckets.set(region, bucket);
    const n = (counters.get(region) ?? 0) + 1;
    counters.set(region, n);
    if (bucket.tokens < 1 || (options.throttleEvery && n % options.throttleEvery === 0)) {
      return respond(
        jsonResponse(400, { __type: "ThrottlingException", message: "Rate exceeded" }, "ThrottlingException"),
      );
    }
    bucket.tokens -= 1;
    const start = Number(body.StartTime ?? 0) * 1000;
    const end = Number(body.EndTime ?? Date.now() / 1000) * 1000;
    const lookup = (body.LookupAttributes as { AttributeKey: string; AttributeValue: string }[] | undefined)?.[0];
    const all = (options.events[region] ?? [])
      .filter((e) => typeof e === "string" || (eventTimeOf(e) >= start && eventTimeOf(e) <= end))
      .filter((e) =>
        // A raw string (an unparseable event) passes every filter, so every kind of query meets one.
        !lookup || typeof e === "string" || matchesAttribute(e, lookup.AttributeKey, lookup.AttributeValue)
      )
      .sort((a, b) => eventTimeOf(b) - eventTimeOf(a));
    const offset = body.NextToken ? Number(atob(String(body.NextToken))) : 0;
    const size = Math.min(Number(body.MaxResults ?? 50), 50);
    const page = all.slice(offset, offset + size);
    const next = options.circularTokens
      ? btoa(String(offset === 0 ? size : 0))
      : offset + size < all.length
      ? btoa(String(offset + size))
      : undefined;
    return respond(jsonResponse(200, {
      Events: page.map((e, i) => ({
        EventId: typeof e === "string" ? `raw-${offset + i}` : e.eventID,
        EventName: typeof e === "string" ? "Unknown" : e.eventName,
        EventTime: typeof e === "string" ? 0 : eventTimeOf(e) / 1000,
        EventSource: typeof e === "string" ? "unknown" : e.eventSource,
        CloudTrailEvent: typeof e === "string" ? e : JSON.stringify(e),
      })),
      ...(next ? { NextToken: next } : {}),
    }));
  });
  return {
    endpoint: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`,
    requests,
    stop: () => server.shutdown(),
  };
}

/** An endpoint on 127.0.0.1 where nothing listens (a port that was just free): every connection is refused. */
export function refusedEndpoint(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return `http://127.0.0.1:${port}`;
}
