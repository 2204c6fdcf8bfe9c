/** A tracked write event reduced to what an incident report shows: when, what, who, on which resource, failed or not. */
import { type CategoryId, changeCategoryOf, RESOURCE_KEYS } from "./change_catalog.ts";
import { isObject } from "../util/data_table.ts";
import { parseEventTime } from "../records/record.ts";

/** Who made a change. */
export interface ChangeActor {
  type: "role" | "user" | "root" | "service" | "other";
  /** `role/deployer (session alice)`, `user/alice`, `root`, `autoscaling.amazonaws.com`. */
  name: string;
  /** The role's ARN (sessionIssuer) or the user's; absent for services. */
  arn?: string;
  /** The assumed-role session ARN, when a role acted. */
  sessionArn?: string;
}

/** One change, as `changes --format json` prints it. */
export interface ChangeEvent {
  eventId: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  category: CategoryId;
  region: string;
  actor: ChangeActor;
  resources: string[];
  errorCode: string | null;
}

/** At most this many resources are kept per event (a RunInstances of 50 instances shows the first ones). */
const MAX_RESOURCES = 5;
/** How deep request and response elements are searched for resource ids. */
const MAX_DEPTH = 4;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The actor of a record's `userIdentity`. */
export function changeActor(identity: unknown, invokedBy?: unknown): ChangeActor {
  if (!isObject(identity)) return { type: "other", name: "unknown" };
  const arn = str(identity.arn);
  const service = str(identity.invokedBy) ?? str(invokedBy);
  switch (identity.type) {
    case "AssumedRole": {
      const issuer = isObject(identity.sessionContext) && isObject(identity.sessionContext.sessionIssuer)
        ? identity.sessionContext.sessionIssuer
        : {};
      const role = str(issuer.userName) ?? arn?.split("/")[1] ?? "unknown";
      const session = arn?.split("/").slice(2).join("/");
      const roleArn = str(issuer.arn);
      return {
        type: "role",
        name: `role/${role}${session ? ` (session ${session})` : ""}`,
        ...(roleArn ? { arn: roleArn } : {}),
        ...(arn ? { sessionArn: arn } : {}),
      };
    }
    case "IAMUser":
      return {
        type: "user",
        name: `user/${str(identity.userName) ?? arn?.split("/").pop() ?? "unknown"}`,
        ...(arn ? { arn } : {}),
      };
    case "Root":
      return { type: "root", name: "root", ...(arn ? { arn } : {}) };
    case "AWSService":
      return { type: "service", name: service ?? "AWS service" };
    default:
      return { type: "other", name: str(identity.type) ?? "unknown", ...(arn ? { arn } : {}) };
  }
}

function collectIds(value: unknown, depth: number, out: Map<string, number>, order: Map<string, number>): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, depth + 1, out, order);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const rank = order.get(key);
    const id = str(v);
    if (rank !== undefined && id !== undefined && !out.has(id)) out.set(id, rank);
    else if (typeof v === "object") collectIds(v, depth + 1, out, order);
  }
}

const KEY_ORDER = new Map(RESOURCE_KEYS.map((k, i) => [k, i]));

/** The ids a change touched: request parameters, then response elements, then `resources[].ARN`, at most a few. */
export function changeResources(raw: Record<string, unknown>): string[] {
  const found = new Map<string, number>();
  collectIds(raw.requestParameters, 0, found, KEY_ORDER);
  const fromRequest = [...found.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  const response = new Map<string, number>();
  collectIds(raw.responseElements, 0, response, KEY_ORDER);
  const fromResponse = [...response.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  const arns = Array.isArray(raw.resources)
    ? raw.resources.map((r) => (isObject(r) ? str(r.ARN) : undefined)).filter((a): a is string => a !== undefined)
    : [];
  return [...new Set([...fromRequest, ...fromResponse, ...arns])].slice(0, MAX_RESOURCES);
}

/** The change a raw record describes, or undefined when it is not a tracked write event (or has no valid time). */
export function toChangeEvent(raw: unknown): ChangeEvent | undefined {
  if (!isObject(raw)) return undefined;
  const source = str(raw.eventSource);
  const name = str(raw.eventName);
  if (!source || !name) return undefined;
  const category = changeCategoryOf(source, name);
  const eventTime = str(raw.eventTime);
  if (!category || !eventTime || parseEventTime(eventTime) === undefined) return undefined;
  return {
    eventId: str(raw.eventID) ?? "",
    eventTime,
    eventSource: source,
    eventName: name,
    category,
    region: str(raw.awsRegion) ?? "",
    actor: changeActor(raw.userIdentity, raw.invokedBy),
    resources: changeResources(raw),
    errorCode: str(raw.errorCode) ?? null,
  };
}
