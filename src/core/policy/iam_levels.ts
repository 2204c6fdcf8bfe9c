/**
 * Access levels of IAM actions, from the full table (`data/iam_actions.json`, 1.29 MB): imported by `check`,
 * and loaded on demand by `generate --compact`/`--check` and the MCP `generate_policy` tool, so nothing else
 * parses it.
 */
import table from "../../../data/iam_actions.json" with { type: "json" };
import { isObject, loadTable } from "../util/data_table.ts";
import type { IamLevels } from "./policy_check.ts";
import { actionParts } from "../iam/action_parts.ts";

const services = loadTable(
  table,
  "iam_actions.json",
  (v): v is { actions: Record<string, [string, string[]]> } => isObject(v) && isObject(v.actions),
);

/**
 * Each service's levels by lower-cased action name, built the first time a name of it is not found as written: a
 * scan of the service per lookup cost ~0.5 ms an action (150 s for a policy of 300,000 unknown ec2 actions).
 */
const byLowerName = new Map<string, Map<string, string>>();

function levelsByLowerName(prefix: string, actions: Record<string, [string, string[]]>): Map<string, string> {
  let index = byLowerName.get(prefix);
  if (!index) {
    index = new Map();
    for (const [name, [level]] of Object.entries(actions)) {
      const lower = name.toLowerCase();
      if (!index.has(lower)) index.set(lower, level);
    }
    byLowerName.set(prefix, index);
  }
  return index;
}

/** Levels and actions by the IAM data. */
export const iamLevels: IamLevels = {
  actionsOf: (prefix) => Object.keys(services[prefix]?.actions ?? {}),
  levelOf: (action) => {
    const parts = actionParts(action);
    if (!parts) return undefined;
    const { prefix, name } = parts;
    const actions = Object.hasOwn(services, prefix) ? services[prefix]?.actions : undefined;
    if (!actions) return undefined;
    const exact = Object.hasOwn(actions, name) ? actions[name]?.[0] : undefined;
    if (exact !== undefined) return exact;
    return levelsByLowerName(prefix, actions).get(name.toLowerCase());
  },
};
