/** Maps a CloudTrail event (source and name) to the IAM actions the call needs. */
import overrides from "../../../data/event_names.json" with { type: "json" };
import { arrayOf, isString, loadTable, recordOf } from "../util/data_table.ts";
import { globMatch } from "../util/glob_match.ts";
import { findIamActionIgnoringCase, iamActionsOf, isIamAction } from "./iam_catalog.ts";

type Override = string | string[];
const isOverride = (v: unknown): v is Override => isString(v) || arrayOf(isString)(v);
const overrideTable: Record<string, Record<string, Override> | undefined> = loadTable(
  overrides,
  "event_names.json",
  recordOf(isOverride),
);

/** Result of {@link eventActions}: full `prefix:Name` actions; `unknown` lists those the IAM data lacks. */
export interface EventActions {
  actions: string[];
  unknown: string[];
}

// API version suffixes: ListFunctions20150331, GetFunctionConfiguration20150331v2,
// UpdateDistribution2016_11_25.
const DATE_SUFFIX = /^([A-Za-z]+?)(?:\d{8}(?:v\d+)?|\d{4}_\d{2}_\d{2})$/;
// trailscraper's broader rule; used only when it yields a real action.
const TRAILSCRAPER_SUFFIX = /^([a-zA-Z]+)[0-9v_]+$/;

/** The table's own entry for a record's event name (never an Object member such as `constructor`). */
const ownEntry = (table: Record<string, Override> | undefined, name: string) =>
  table && Object.hasOwn(table, name) ? table[name] : undefined;

/** True when `prefix:name` exists, or, for a wildcard like `ReEncrypt*`, matches one that does. */
function exists(prefix: string, name: string): boolean {
  if (!name.includes("*")) return isIamAction(prefix, name);
  return iamActionsOf(prefix).some((a) => globMatch(name, a, { questionMark: false }));
}

/** The real action name derived from an event name, or undefined when there is none. */
function derivedName(prefix: string, eventName: string): string | undefined {
  if (isIamAction(prefix, eventName)) return eventName;
  const candidates = [
    eventName.replace(/Cors$/, "CORS"),
    DATE_SUFFIX.exec(eventName)?.[1],
    TRAILSCRAPER_SUFFIX.exec(eventName)?.[1],
  ].filter((c): c is string => c !== undefined);
  for (const c of candidates) if (isIamAction(prefix, c)) return c;
  for (const c of [eventName, ...candidates]) {
    const found = findIamActionIgnoringCase(prefix, c);
    if (found !== undefined) return found;
  }
  return undefined;
}

function fromOverride(prefix: string, override: Override): EventActions {
  const actions = (Array.isArray(override) ? override : [override]).map((a) => a.includes(":") ? a : `${prefix}:${a}`);
  const unknown = actions.filter((a) => {
    const [p = "", name = ""] = a.split(":");
    return !exists(p, name);
  });
  return { actions, unknown };
}

/**
 * The actions an event needs: a curated override (by event source, then by prefix),
 * else the event name when it is a real action, else the first real action among
 * the name with `Cors` spelled `CORS`, without an API version suffix, or matched
 * ignoring case. Otherwise the name without a date suffix, reported as unknown.
 */
export function eventActions(eventSource: string, prefix: string, eventName: string): EventActions {
  const override = ownEntry(overrideTable[eventSource], eventName) ?? ownEntry(overrideTable[prefix], eventName);
  if (override !== undefined) return fromOverride(prefix, override);
  const name = derivedName(prefix, eventName);
  if (name !== undefined) return { actions: [`${prefix}:${name}`], unknown: [] };
  const action = `${prefix}:${DATE_SUFFIX.exec(eventName)?.[1] ?? eventName}`;
  return { actions: [action], unknown: [action] };
}
