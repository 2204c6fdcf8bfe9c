/**
 * The one factory of resource resolvers (`--resources`, the MCP tool's `resources`, the
 * generate step): the 1.5 MB IAM resource table loads on the first call only, and each
 * thread keeps one resolver per mode (its cache of compiled ARN formats is bounded by
 * the table).
 */
import type { ResourceCatalog, ResourceMode, ResourceResolver } from "../core/iam/resource_arns.ts";

let loaded: { catalog: ResourceCatalog; Resolver: typeof ResourceResolver } | undefined;
const resolvers = new Map<ResourceMode, ResourceResolver>();

/** A resolver for `mode`, or undefined without one; loads the IAM resource table the first time. */
export async function resolverFor(mode: ResourceMode | undefined): Promise<ResourceResolver | undefined> {
  if (mode === undefined) return undefined;
  if (!loaded) {
    const [{ ResourceResolver }, { iamResources }] = await Promise.all([
      import("../core/iam/resource_arns.ts"),
      import("../core/iam/iam_resources.ts"),
    ]);
    loaded ??= { catalog: iamResources, Resolver: ResourceResolver };
  }
  return loadedResolver(mode);
}

/** The resolver {@link resolverFor} made for `mode` (for synchronous code that awaited it before); throws when it did not. */
export function loadedResolver(mode: ResourceMode | undefined): ResourceResolver | undefined {
  if (mode === undefined) return undefined;
  if (!loaded) throw new Error(`no resolver loaded for --resources ${mode}: await resolverFor() first`);
  let resolver = resolvers.get(mode);
  if (!resolver) resolvers.set(mode, resolver = new loaded.Resolver(loaded.catalog, mode));
  return resolver;
}
