/**
 * The `generate` step: bulk-parse one chunk of stdin (`sources/stdin_chunks.ts`) and
 * reduce its records to a policy generator's state, per principal or not. The chunk's
 * mode travels as the document format: `records` for elements of a Records array,
 * `lines` for JSON Lines.
 */
import { type GeneratorPartial, PolicyGenerator } from "../core/policy_generator.ts";
import { PrincipalPolicies } from "../core/principal_policies.ts";
import { bulkRecords, type ChunkGeometry, chunkGeometry } from "../core/bulk_records.ts";
import { type ResourceCatalog, type ResourceMode, ResourceResolver } from "../core/resource_arns.ts";
import type { RecordStep } from "./record_step.ts";

/** What generate's options ask of every part. */
export interface GenerateParams {
  perPrincipal: boolean;
  observe: boolean;
  resources?: ResourceMode | undefined;
}

/**
 * The generator state of one chunk by principal ("" without --per-principal) and how
 * far the chunk moves the input position; or `failed` when it did not parse as cut.
 */
export type GenerateOut = { partials: [string, GeneratorPartial][]; geometry: ChunkGeometry } | { failed: true };

// The IAM resource table (1.5 MB) loads in `load`, so importing the step costs nothing.
let catalog: ResourceCatalog | undefined;
// One resolver per mode and thread: it caches the compiled ARN formats.
const resolvers = new Map<ResourceMode, ResourceResolver>();
function resolverFor(mode: ResourceMode | undefined): ResourceResolver | undefined {
  if (mode === undefined) return undefined;
  if (!catalog) throw new Error("the generate step was not loaded");
  let resolver = resolvers.get(mode);
  if (!resolver) resolvers.set(mode, resolver = new ResourceResolver(catalog, mode));
  return resolver;
}

/** The generate step for the worker pool: generator states come back (cloned), not records. */
export const generateStep: RecordStep<GenerateParams, GenerateOut> = {
  // A chunk's records are garbage once its state is posted: collect often to keep the worker small.
  gcEveryChars: 8 << 20,
  async load() {
    catalog ??= (await import("../core/iam_resources.ts")).iamResources;
  },
  apply(doc, params) {
    const textLength = doc.text.length;
    const records = bulkRecords(doc.format === "records" ? "elements" : "lines", doc.text);
    if (!records) return { ok: true, out: { failed: true }, skipped: {}, textLength };
    const geometry = chunkGeometry(doc.text);
    const options = {
      observe: params.observe,
      ...(params.resources ? { resolver: resolverFor(params.resources) } : {}),
    };
    if (params.perPrincipal) {
      const principals = new PrincipalPolicies(options);
      for (const raw of records) principals.add(raw);
      return { ok: true, out: { partials: principals.toPartial(), geometry }, skipped: {}, textLength };
    }
    const generator = new PolicyGenerator(options);
    for (const raw of records) generator.add(raw);
    return { ok: true, out: { partials: [["", generator.toPartial()]], geometry }, skipped: {}, textLength };
  },
};
