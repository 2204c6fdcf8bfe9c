/** The filters of `changes`: a time window, categories, actors, and whether failed attempts count. */
import { type CategoryId, CHANGE_EVENT_NAMES } from "./change_catalog.ts";
import type { ChangeEvent } from "./change_event.ts";
import { parseEventTime } from "./record.ts";

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
}

/** True when the change passes the filter. */
export function changeMatches(event: ChangeEvent, filter: ChangeFilter): boolean {
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
