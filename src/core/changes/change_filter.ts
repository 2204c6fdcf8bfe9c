/**
 * The filters of `changes`: a time window, categories, actors, resources, and whether failed attempts count. One
 * filter for every source: the log dir and the CloudTrail API's pages run the same step with it.
 */
import { type CategoryId, CHANGE_EVENT_NAMES } from "./change_catalog.ts";
import { type ChangeEvent, toChangeEvent } from "./change_event.ts";
import { parseEventTime } from "../records/record.ts";

/** What `changes` keeps. */
export interface ChangeFilter {
  /** The window, inclusive, epoch ms: the alert's start minus the lookback, to the alert's end. */
  from: number;
  to: number;
  /** Categories to keep; empty keeps all. */
  categories: CategoryId[];
  /** Role, user or session ARNs to keep; empty keeps all. */
  actors: string[];
  /** Keep attempts that failed (an errorCode such as AccessDenied). */
  includeFailed: boolean;
  /**
   * Resource ids or names to keep (`--resource`); empty keeps all. A record matches when one of them is a string value
   * of its request parameters, response elements or `resources[]`, as LookupEvents' ResourceName matches.
   */
  resources: string[];
}

/** How deep request parameters, response elements and resources are searched for a resource id. */
const MAX_RESOURCE_DEPTH = 32;

/** True when one of `ids` is a string value in the record's request, response or `resources[]` (or none asked). */
export function recordTouches(raw: Record<string, unknown>, ids: readonly string[]): boolean {
  if (ids.length === 0) return true;
  const wanted = new Set(ids);
  const stack: [unknown, number][] = [[raw.requestParameters, 0], [raw.responseElements, 0], [raw.resources, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === "string") {
      if (wanted.has(value)) return true;
    } else if (typeof value === "object" && value !== null && depth < MAX_RESOURCE_DEPTH) {
      for (const v of Array.isArray(value) ? value : Object.values(value)) stack.push([v, depth + 1]);
    }
  }
  return false;
}

/** The change a raw record describes when it is a tracked write event that passes the filter. */
export function matchingChange(raw: unknown, filter: ChangeFilter): ChangeEvent | undefined {
  const event = toChangeEvent(raw);
  if (!event || !changeMatches(event, filter)) return undefined;
  return recordTouches(raw as Record<string, unknown>, filter.resources) ? event : undefined;
}

/** True when the change passes the filter's time, category, failure and actor rules (resources: `recordTouches`). */
function changeMatches(event: ChangeEvent, filter: ChangeFilter): boolean {
  const t = parseEventTime(event.eventTime);
  if (t === undefined || t < filter.from || t > filter.to) return false;
  if (filter.categories.length > 0 && !filter.categories.includes(event.category)) return false;
  if (!filter.includeFailed && event.errorCode !== null) return false;
  if (filter.actors.length > 0) {
    const { arn, sessionArn } = event.actor;
    if (!filter.actors.some((a) => a === arn || a === sessionArn)) return false;
  }
  return true;
}

const TRACKED_NAME = new RegExp(`"eventName"\\s*:\\s*"(?:${CHANGE_EVENT_NAMES.join("|")})"`);

/** False when a document's text cannot hold a tracked event (no tracked eventName, no escapes that could spell one). */
export function textMayHoldChange(text: string): boolean {
  return text.includes("\\u") || TRACKED_NAME.test(text);
}
