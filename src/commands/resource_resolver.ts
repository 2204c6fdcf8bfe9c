/** The resolver `--resources` (and the MCP tool's `resources`) asks for: the 1.5 MB IAM table loads only then. */
import type { ResourceMode, ResourceResolver } from "../core/resource_arns.ts";

/** A resolver for `mode`, or undefined without one. */
export async function resolverFor(mode: ResourceMode | undefined): Promise<ResourceResolver | undefined> {
  if (mode === undefined) return undefined;
  const { ResourceResolver } = await import("../core/resource_arns.ts");
  const { iamResources } = await import("../core/iam_resources.ts");
  return new ResourceResolver(iamResources, mode);
}
