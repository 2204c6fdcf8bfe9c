/** Policy documents as trailscraper printed them. */
import type { PolicyDocument } from "../core/policy.ts";
import { pythonJson } from "./python_json.ts";

/** `json.dumps(policy, indent=4, sort_keys=True)` plus a newline. */
export function renderPolicy(policy: PolicyDocument): string {
  return pythonJson(policy, { indent: 4, sortKeys: true }) + "\n";
}
