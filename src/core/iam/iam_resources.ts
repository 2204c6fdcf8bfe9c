/**
 * Resource types and ARN formats of IAM actions, from the full table
 * (`data/iam_actions.json`, 1.5 MB): imported only by `generate --resources` and
 * `check`, so the other commands never parse it.
 */
import table from "../../../data/iam_actions.json" with { type: "json" };
import { isObject, loadTable } from "../util/data_table.ts";
import type { ResourceCatalog, ResourceType } from "./resource_arns.ts";
import { InputKeyedCache } from "../util/input_keyed_cache.ts";
import { actionParts } from "./action_parts.ts";

const services = loadTable(
  table,
  "iam_actions.json",
  (v): v is { actions: Record<string, [string, string[]]>; resources: Record<string, string> } =>
    isObject(v) && isObject(v.actions) && isObject(v.resources),
);

function typesOf(action: string): ResourceType[] | undefined {
  // A record may name any call: "s3:GetObject:x" is no action of IAM's.
  const { prefix, name } = actionParts(action) ?? { prefix: "", name: "" };
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

// Asked once per action of every record: computed once per action (IAM has ~22k actions; no name is longer than 256).
const known = new InputKeyedCache<ResourceType[] | undefined>(32_768);

/** Actions whose types are cached and the characters of their names (for tests and diagnostics). */
export function cachedActionTypes(): { entries: number; chars: number } {
  return known.held;
}

/** The resource types of `prefix:Name` (a required one is marked), or undefined when IAM does not know it. */
export const iamResources: ResourceCatalog = {
  typesOf: (action: string): ResourceType[] | undefined => known.get(action, typesOf),
};
