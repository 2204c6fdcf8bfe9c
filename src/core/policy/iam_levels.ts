/**
 * Access levels of IAM actions, from the full table (`data/iam_actions.json`, 1.29 MB): imported by `check`,
 * and loaded on demand by `generate --compact`/`--check` and the MCP `generate_policy` tool, so nothing else
 * parses it.
 */
import table from "../../../data/iam_actions.json" with { type: "json" };
import { isObject, loadTable } from "../util/data_table.ts";
import type { IamLevels } from "./policy_check.ts";

const services = loadTable(
  table,
  "iam_actions.json",
  (v): v is { actions: Record<string, [string, string[]]> } => isObject(v) && isObject(v.actions),
);

/** Levels and actions by the IAM data. */
export const iamLevels: IamLevels = {
  actionsOf: (prefix) => Object.keys(services[prefix]?.actions ?? {}),
  levelOf: (action) => {
    const [prefix = "", name = ""] = action.split(":");
    const actions = services[prefix]?.actions;
    if (!actions) return undefined;
    const exact = actions[name]?.[0];
    if (exact !== undefined) return exact;
    const lower = name.toLowerCase();
    return Object.entries(actions).find(([a]) => a.toLowerCase() === lower)?.[1][0];
  },
};
