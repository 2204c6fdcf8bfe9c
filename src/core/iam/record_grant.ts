/** What one CloudTrail record needs in a policy. */
import ignored from "../../../data/ignored_events.json" with { type: "json" };
import { apiGatewayGrant } from "./apigateway_statement.ts";
import { compareCodePoints } from "../util/compare_code_points.ts";
import { eventActions } from "./event_actions.ts";
import { iamPrefixFor } from "./iam_prefix.ts";
import type { CloudTrailRecord } from "../records/record.ts";

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

/** Maps a record to the actions and resources it needs (trailscraper's `to_statement`, corrected). */
export function recordGrant(record: CloudTrailRecord): RecordGrant {
  if (record.eventType !== undefined && ignoredTypes.has(record.eventType)) {
    return { kind: "ignored", reason: record.eventType };
  }
  const { prefix, known: prefixKnown } = iamPrefixFor(record.eventSource);
  if (ignoredCalls.has(`${prefix}:${record.eventName}`)) {
    return { kind: "ignored", reason: `${prefix}:${record.eventName}` };
  }
  if (prefix === "apigateway") {
    const grant = apiGatewayGrant(record.eventName, record.requestParameters);
    if (grant) return { kind: "grant", ...grant, unknown: [] };
  }
  const { actions, unknown } = eventActions(record.eventSource, prefix, record.eventName);
  if (unknown.length > 0 && Object.hasOwn(notIamAuthorized, prefix)) {
    return { kind: "ignored", reason: `${prefix} (not IAM)` };
  }
  const resources = record.resourceArns.length > 0 ? [...record.resourceArns].sort(compareCodePoints) : ["*"];
  return { kind: "grant", actions, resources, unknown: prefixKnown ? unknown : actions };
}
