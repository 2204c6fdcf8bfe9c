/**
 * Where in a CloudTrail record the names of one action's resources are: the table generated from the service
 * models (`data/resource_params.json`) with the hand-written exceptions of `data/resource_arns.json`.
 */
import generated from "../../../data/resource_params.json" with { type: "json" };
import hand from "../../../data/resource_arns.json" with { type: "json" };
import { arrayOf, isString, loadTable, recordOf } from "../util/data_table.ts";

const byAction = loadTable(generated.actions, "resource_params.json actions", recordOf(isString));
const handValues = loadTable(hand.values, "resource_arns.json values", recordOf(arrayOf(isString)));
const handActions = loadTable(hand.actions, "resource_arns.json actions", recordOf(arrayOf(isString)));
const transforms = loadTable(hand.transforms, "resource_arns.json transforms", recordOf(isString));

/** ARN-valued paths: each ARN is tested against every format of the action. */
export const ARN_PATHS = "*";

/**
 * One source of a placeholder's values: a record path (`requestParameters.a.b[].c`) with an optional transform, or
 * a literal value.
 */
export type ParamSpec =
  | { placeholder: string; path: string; transform?: string }
  | { placeholder: string; literal: string };

/** `a.b` is `requestParameters.a.b`, `@a` is `responseElements.a` (the generated table's short form). */
const fullPath = (short: string) =>
  short.startsWith("@") ? `responseElements.${short.slice(1)}` : `requestParameters.${short}`;

const byService = new Map<string, Record<string, string> | undefined>();

/**
 * For an action no operation of the models has (`iam:PassRole`, which CloudTrail logs only inside other calls): the
 * paths the service's operations use for each placeholder, except ARN paths.
 */
function servicePaths(prefix: string): Record<string, string> | undefined {
  if (byService.has(prefix)) return byService.get(prefix);
  const union = new Map<string, Set<string>>();
  for (const [action, entry] of Object.entries(byAction)) {
    if (!action.startsWith(`${prefix}:`)) continue;
    for (const [placeholder, paths] of Object.entries(entry)) {
      if (placeholder === ARN_PATHS) continue;
      let set = union.get(placeholder);
      if (!set) union.set(placeholder, set = new Set());
      for (const path of paths.split(" ")) if (!path.startsWith("@")) set.add(path);
    }
  }
  const merged = union.size === 0
    ? undefined
    : Object.fromEntries([...union].map(([placeholder, set]) => [placeholder, [...set].join(" ")]));
  byService.set(prefix, merged);
  return merged;
}

function handSpec(placeholder: string, spec: string): ParamSpec {
  if (spec.startsWith("=")) return { placeholder, literal: spec.slice(1) };
  const [path = "", transform] = spec.split("|");
  return transform === undefined ? { placeholder, path } : { placeholder, path, transform };
}

/**
 * The sources of the placeholders an action's formats use (and of its ARNs, under {@link ARN_PATHS}), or undefined
 * when no table knows the action. A hand entry replaces a generated one of the same path.
 */
export function paramSpecs(action: string, placeholders: ReadonlySet<string>): ParamSpec[] | undefined {
  const prefix = action.slice(0, action.indexOf(":"));
  const fromModels = byAction[action] ?? servicePaths(prefix);
  const forService = handValues[prefix];
  const forAction = handActions[action];
  if (!fromModels && !forService && !forAction) return undefined;
  const specs = new Map<string, ParamSpec>();
  const put = (spec: ParamSpec) =>
    specs.set(`${spec.placeholder}\n${"path" in spec ? spec.path : `=${spec.literal}`}`, spec);
  for (const [placeholder, paths] of Object.entries(fromModels ?? {})) {
    if (placeholder !== ARN_PATHS && !placeholders.has(placeholder)) continue;
    const transform = transforms[prefix]?.[placeholder];
    for (const short of paths.split(" ")) {
      const path = fullPath(short);
      put(transform === undefined ? { placeholder, path } : { placeholder, path, transform });
    }
  }
  for (const table of [forService, forAction]) {
    for (const [placeholder, list] of Object.entries(table ?? {})) {
      if (!placeholders.has(placeholder)) continue;
      for (const spec of list) put(handSpec(placeholder, spec));
    }
  }
  return [...specs.values()];
}
