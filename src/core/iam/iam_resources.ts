/**
 * Resource types and ARN formats of IAM actions, from the full table
 * (`data/iam_actions.json`, 1.5 MB): imported only by `generate --resources` and
 * `check`, so the other commands never parse it.
 */
import table from "../../../data/iam_actions.json" with { type: "json" };
import { isObject, loadTable } from "../util/data_table.ts";
import type { ResourceCatalog, ResourceType } from "./resource_arns.ts";

const services = loadTable(
  table,
  "iam_actions.json",
  (v): v is { actions: Record<string, [string, string[]]>; resources: Record<string, string> } =>
    isObject(v) && isObject(v.actions) && isObject(v.resources),
);

function typesOf(action: string): ResourceType[] | undefined {
  const [prefix = "", name = ""] = action.split(":");
  const service = services[prefix];
  const entry = service && Object.hasOwn(service.actions, name) ? service.actions[name] : undefined; // not `constructor`
  if (!service || !entry) return undefined;
  return entry[1].flatMap((marked) => {
    const required = marked.endsWith("*");
    const type = required ? marked.slice(0, -1) : marked;
    // Some types list several formats: "arn:...::/apis/${ApiId}/stages, arn:...::/restapis/${RestApiId}/stages".
    const formats = service.resources[type]?.split(/, (?=arn:)/) ?? [];
    return formats.map((format) => ({ name: type, required, format }));
  });
}

// Asked once per action of every record: computed once per action. Keyed by input (a record may name any
// action): emptied when full, so a long-running server stays bounded (IAM has ~22k actions).
const known = new Map<string, ResourceType[] | undefined>();
const KNOWN_MAX = 32_768;
/** No IAM action is longer; a longer name is answered, not kept. */
const MAX_CACHED_ACTION = 256;
let knownChars = 0;

/** Actions whose types are cached and the characters of their names (for tests and diagnostics). */
export function cachedActionTypes(): { actions: number; chars: number } {
  return { actions: known.size, chars: knownChars };
}

/** The resource types of `prefix:Name` (a required one is marked), or undefined when IAM does not know it. */
export const iamResources: ResourceCatalog = {
  typesOf(action: string): ResourceType[] | undefined {
    if (known.has(action)) return known.get(action);
    const types = typesOf(action);
    if (action.length > MAX_CACHED_ACTION) return types;
    if (known.size >= KNOWN_MAX) {
      known.clear();
      knownChars = 0;
    }
    known.set(action, types);
    knownChars += action.length;
    return types;
  },
};
