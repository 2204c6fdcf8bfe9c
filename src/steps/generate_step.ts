/**
 * The `generate` step: bulk-parse one chunk of stdin (`sources/stdin_chunks.ts`) and
 * reduce its records to a policy generator's state, per principal or not. The chunk's
 * mode travels as the document format: `records` for elements of a Records array,
 * `lines` for JSON Lines.
 */
import { type GeneratorPartial, PolicyGenerator } from "../core/policy/policy_generator.ts";
import { PrincipalPolicies } from "../core/policy/principal_policies.ts";
import { bulkRecords, type ChunkGeometry, chunkGeometry } from "../core/records/bulk_records.ts";
import { RESOLVER_FIELDS, type ResourceMode } from "../core/iam/resource_arns.ts";
import { GRANT_FIELDS } from "../core/iam/record_grant.ts";
import { PRINCIPAL_FIELDS } from "../core/records/principal.ts";
import { type RecordFields, SlimRecords } from "../core/records/slim_records.ts";
import type { RecordStep } from "./record_step.ts";
import { loadedResolver, resolverFor } from "./resource_resolver.ts";

/** What generate's options ask of every part. */
export interface GenerateParams {
  perPrincipal: boolean;
  observe: boolean;
  resources?: ResourceMode | undefined;
}

/** The top-level keys of a record that generate reads with these params (a reader may drop the rest). */
export function generateFields(params: GenerateParams): RecordFields {
  return {
    keys: [
      ...GRANT_FIELDS.keys,
      ...(params.resources ? RESOLVER_FIELDS : []),
      ...(params.perPrincipal ? PRINCIPAL_FIELDS : []),
    ],
    conditional: GRANT_FIELDS.conditional,
  };
}

/**
 * The generator state of one chunk by principal ("" without --per-principal) and how
 * far the chunk moves the input position; or `failed` when it did not parse as cut.
 */
export type GenerateOut = { partials: [string, GeneratorPartial][]; geometry: ChunkGeometry } | { failed: true };

/** The generate step for the worker pool: generator states come back (cloned), not records. */
export const generateStep: RecordStep<GenerateParams, GenerateOut> = {
  // A chunk's records are garbage once its state is posted: collect often to keep the worker small.
  gcEveryChars: 8 << 20,
  // The IAM resource table (1.5 MB) loads here, only for `resources`: importing the step costs nothing.
  async load(params) {
    await resolverFor(params.resources);
  },
  apply(doc, params) {
    const textLength = doc.text.length;
    // Elements of a Records document: scanned and reduced to the keys generate reads (as in the main thread).
    const slim = doc.format === "records" && doc.bytes
      ? new SlimRecords(generateFields(params)).read(doc.bytes)
      : undefined;
    const records = slim?.records ?? bulkRecords(doc.format === "records" ? "elements" : "lines", doc.text);
    if (!records) return { ok: true, out: { failed: true }, skipped: {}, textLength };
    const geometry = slim?.geometry ?? chunkGeometry(doc.text);
    const options = {
      observe: params.observe,
      ...(params.resources ? { resolver: loadedResolver(params.resources) } : {}),
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
