/** What one CloudTrail record needs in a policy. */
import ignored from "../../../data/ignored_events.json" with { type: "json" };
import { apiGatewayGrant } from "./apigateway_statement.ts";
import { compareCodePoints } from "../util/compare_code_points.ts";
import { eventActions } from "./event_actions.ts";
import { iamPrefixFor } from "./iam_prefix.ts";
import type { CloudTrailRecord } from "../records/record.ts";
import type { RecordFields } from "../records/slim_records.ts";
import { MAX_REAL_NAME } from "../util/input_keyed_cache.ts";

const ignoredCalls = new Set(ignored.calls);
const ignoredTypes = new Set(ignored.eventTypes);
const notIamAuthorized: Record<string, string> = ignored.notIamAuthorized;

/**
 * `grant`: actions on resources (one statement before merging); `unknown` lists
 * actions kept although the IAM data does not know them. `ignored`: the record
 * needs no IAM permission, with the reason (`eventType`, the call, or a service
 * whose calls IAM does not authorise).
 */
export type RecordGrant =
  | { kind: "grant"; actions: string[]; resources: string[]; unknown: string[] }
  | { kind: "ignored"; reason: string };

/** What a grant needs of the call alone (event source and name): the same for every record of that call. */
interface CallGrant {
  prefix: string;
  /** Set when the call needs no permission. */
  ignored?: string;
  /** Set when the prefix is a service whose calls IAM does not authorise and the actions are not known. */
  notIam?: string;
  actions: readonly string[];
  unknown: readonly string[];
}

// Keyed by event source, then name (any a record names): emptied when full, and no name longer than a real one is
// kept (a record can name a call in 10 MB), so a long-running server stays bounded by size, not only by count.
const callGrants = new Map<string, Map<string, CallGrant>>();
let cachedCalls = 0;
let cachedChars = 0;
const CACHE_MAX = 16384;

/** How many calls the grant cache holds and the characters of their names (for tests and diagnostics). */
export function cachedCallGrants(): { calls: number; chars: number } {
  return { calls: cachedCalls, chars: cachedChars };
}

function resolveCall(eventSource: string, eventName: string): CallGrant {
  const { prefix, known: prefixKnown } = iamPrefixFor(eventSource);
  if (ignoredCalls.has(`${prefix}:${eventName}`)) {
    return { prefix, ignored: `${prefix}:${eventName}`, actions: [], unknown: [] };
  }
  const { actions, unknown } = eventActions(eventSource, prefix, eventName);
  const notIam = unknown.length > 0 && Object.hasOwn(notIamAuthorized, prefix) ? `${prefix} (not IAM)` : undefined;
  return { prefix, ...(notIam ? { notIam } : {}), actions, unknown: prefixKnown ? unknown : actions };
}

function callGrant(eventSource: string, eventName: string): CallGrant {
  let byName = callGrants.get(eventSource);
  let call = byName?.get(eventName);
  if (call) return call;
  call = resolveCall(eventSource, eventName);
  if (eventSource.length > MAX_REAL_NAME || eventName.length > MAX_REAL_NAME) return call;
  if (cachedCalls >= CACHE_MAX) {
    callGrants.clear();
    cachedCalls = cachedChars = 0;
    byName = undefined;
  }
  if (!byName) {
    callGrants.set(eventSource, byName = new Map());
    cachedChars += eventSource.length;
  }
  byName.set(eventName, call);
  cachedCalls++;
  cachedChars += eventName.length;
  return call;
}

/**
 * The top-level keys of a raw record that `parseRecord` and {@link recordGrant} read to grant it: the event's name,
 * source, type, Insights details and `resources[]`; and `requestParameters` of API Gateway's calls only, whose event
 * source (the top one or an Insights event's) names `apigateway` (see `iamPrefixFor`). What a reader may keep.
 */
export const GRANT_FIELDS: RecordFields = {
  keys: ["eventSource", "eventName", "eventType", "insightDetails", "resources"],
  conditional: { keys: ["requestParameters"], when: "apigateway" },
};

/** Maps a record to the actions and resources it needs (trailscraper's `to_statement`, corrected). */
export function recordGrant(record: CloudTrailRecord): RecordGrant {
  if (record.eventType !== undefined && ignoredTypes.has(record.eventType)) {
    return { kind: "ignored", reason: record.eventType };
  }
  const call = callGrant(record.eventSource, record.eventName);
  if (call.ignored) return { kind: "ignored", reason: call.ignored };
  if (call.prefix === "apigateway") {
    const grant = apiGatewayGrant(record.eventName, record.requestParameters);
    if (grant) return { kind: "grant", ...grant, unknown: [] };
  }
  if (call.notIam) return { kind: "ignored", reason: call.notIam };
  const resources = record.resourceArns.length > 0 ? [...record.resourceArns].sort(compareCodePoints) : ["*"];
  // Copies: the cached lists are shared by every record of the call, the grant's are the caller's.
  return { kind: "grant", actions: [...call.actions], resources, unknown: [...call.unknown] };
}
