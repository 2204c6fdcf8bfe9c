/** One or more policies in the chosen format: trailscraper's JSON, a CloudFormation template, or Terraform. */
import type { PolicyDocument } from "../core/policy/policy.ts";
import { renderPolicy } from "./policy_json.ts";
import { pythonJson } from "./python_json.ts";

/** Output formats of `generate` and `guess`. */
export type PolicyFormat = "json" | "cloudformation" | "terraform";

/**
 * The policies as text: one JSON document (a list for several), one template, or one
 * configuration. The template renderers (and the YAML library) load only when asked for.
 */
export async function renderPolicies(policies: PolicyDocument[], format: PolicyFormat): Promise<string> {
  if (format === "cloudformation") return (await import("./policy_cloudformation.ts")).renderCloudFormation(policies);
  if (format === "terraform") return (await import("./policy_terraform.ts")).renderTerraform(policies);
  return policies.length === 1
    ? renderPolicy(policies[0]!)
    : pythonJson(policies, { indent: 4, sortKeys: true }) + "\n";
}
