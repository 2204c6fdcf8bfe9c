/** `generate`: CloudTrail records on stdin -> least-privilege policy on stdout (or one per principal). */
import { join } from "node:path";
import { InputError, UsageError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import { collectGarbage } from "../runtime/collect_garbage.ts";
import type { PolicyDocument } from "../core/policy/policy.ts";
import { PolicyGenerator } from "../core/policy/policy_generator.ts";
import type { ResourceMode } from "../core/iam/resource_arns.ts";
import { MANAGED_POLICY_LIMIT, policySize, splitPolicy } from "../core/policy/policy_size.ts";
import { principalFileNames } from "../core/policy/principal_file_names.ts";
import { escapeControl } from "../output/escape_control.ts";
import { PrincipalPolicies } from "../core/policy/principal_policies.ts";
import { coverageSummary, generateSummary } from "../output/generate_summary.ts";
import { type PolicyFormat, renderPolicies } from "../output/policy_format.ts";
import { renderPolicy, renderPolicyPieces } from "../output/policy_json.ts";
import { withPlaceholders } from "../core/policy/policy_placeholders.ts";
import { pythonJson } from "../output/python_json.ts";
import { writeFileAtomic } from "../sources/atomic_file.ts";
import { localPathFor } from "../sources/local_path.ts";
import { generateFields, type GenerateParams } from "../steps/generate_step.ts";
import { readRecords, type RecordTarget } from "./generate_input.ts";
import { resolverFor } from "../steps/resource_resolver.ts";

/** Options of `generate`. */
export interface GenerateOptions {
  /** Check the policy against every observed call (IAM's matching rules) and report on stderr. */
  check?: boolean;
  /** One policy per principal (role, user, root, service). */
  perPrincipal?: boolean;
  /** Write the policies as files here instead of stdout. */
  outDir?: string | undefined;
  /** Split the policy into policies of at most this many characters (white space not counted). */
  maxSize?: number | undefined;
  /** Output format (per principal: JSON only). */
  format?: PolicyFormat;
  /** Account ids and regions in resource ARNs as `${AWS::AccountId}` / `${AWS::Region}`. */
  placeholders?: boolean;
  /** Merge each statement's actions into service wildcards that stay within the granted access levels. */
  compact?: boolean;
  /** Build resource ARNs per action from the records (default: trailscraper's `resources[]` ARNs). */
  resources?: ResourceMode | undefined;
  /** Web Workers that parse stdin (default 0: this thread parses, which measured faster on 2 cores). */
  workers?: number | undefined;
}

/**
 * Reports unknown actions and the summary, compacts the policy with `--compact`, and with `--check`
 * evaluates the (compacted) policy against every observed call.
 */
async function report(io: Io, generator: PolicyGenerator, label: string, compact: boolean): Promise<PolicyDocument> {
  const result = generator.result();
  for (const action of result.unknownActions) {
    await io.stderr.write(
      `warning: "${escapeControl(action)}" is not in the IAM data; kept in the policy, check its name\n`,
    );
  }
  const shown = escapeControl(label);
  // A function, not a string: `$&` in a principal's name is not a replacement pattern.
  const labelled = (line: string) => escapeControl(line).replace(/^generate: /, () => `generate: ${shown}`) + "\n";
  await io.stderr.write(labelled(generateSummary(result)));
  const coverage = coverageSummary(result);
  if (coverage) await io.stderr.write(labelled(coverage));
  let policy = result.policy;
  if (compact) {
    const { compactPolicy } = await import("../core/policy/policy_compact.ts");
    const { iamLevels } = await import("../core/policy/iam_levels.ts");
    const compacted = compactPolicy(policy, iamLevels);
    policy = compacted.policy;
    await io.stderr.write(
      `generate: ${shown}--compact: ${compacted.before} action entries -> ${compacted.after} (wildcards stay within ` +
        `the access levels each statement already grants)\n`,
    );
  }
  if (generator.observed) {
    const { checkPolicy } = await import("../core/policy/policy_check.ts");
    const { iamLevels } = await import("../core/policy/iam_levels.ts");
    const { renderCheckText } = await import("../output/policy_check_report.ts");
    const check = checkPolicy(policy, generator.observed.unsorted(), iamLevels);
    await io.stderr.write(renderCheckText(check));
    if (check.denied.length > 0) {
      throw new InputError(`the generated policy denies ${check.denied.length} observed calls; please report it`);
    }
  }
  return policy;
}

async function warnIfTooBig(io: Io, policy: PolicyDocument, label: string): Promise<void> {
  const size = policySize(policy);
  if (size > MANAGED_POLICY_LIMIT) {
    await io.stderr.write(
      `warning: ${escapeControl(label)}the policy has ${size} characters (white space not counted), more than the ` +
        `${MANAGED_POLICY_LIMIT} of a managed policy; --max-size ${MANAGED_POLICY_LIMIT} splits it\n`,
    );
  }
}

/** Reads stdin into one generator and reports it; the generator is garbage once this returns (before output). */
async function onePolicy(
  io: Io,
  params: GenerateParams,
  workers: number,
  restrict: () => Promise<void>,
  compact: boolean,
): Promise<PolicyDocument> {
  const generator = new PolicyGenerator({ observe: params.observe, resolver: await resolverFor(params.resources) });
  const target: RecordTarget = {
    add: (raw, id) => generator.add(raw, id),
    merge: (partials) => {
      for (const [, partial] of partials) generator.merge(partial);
    },
  };
  // Repeats pay where a record costs ARN resolution (--resources); without it they saved ~2% at 1M records, for
  // 35-40 MB more at the peak (the table and each record's effect).
  if (params.resources) {
    target.repeat = (id) => generator.repeat(id);
    target.forget = () => generator.forgetRepeats();
  }
  await readRecords(io, target, { pool: { workers, params }, restrict, fields: generateFields(params) });
  collectGarbage();
  return await report(io, generator, "", compact);
}

/** Makes `outDir` (and its parents); a file in its way is bad input, not an unexpected failure. */
async function makeOutDir(outDir: string): Promise<void> {
  try {
    await Deno.mkdir(outDir, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists || e instanceof Deno.errors.NotADirectory)) throw e;
    throw new InputError(`cannot write to --out-dir "${escapeControl(outDir)}": it is not a folder`);
  }
}

/** One file per principal below `outDir`, each name its own (a name a principal's hash made unique is noted). */
async function writePerPrincipal(io: Io, outDir: string, policies: [string, PolicyDocument][]): Promise<void> {
  const names = principalFileNames(policies.map(([principal]) => principal));
  const written = new Set<string>();
  for (const [principal, policy] of policies) {
    const file = names.get(principal);
    const path = file && localPathFor(outDir, file.name);
    // principalFileNames promises names that are distinct (case-insensitively) and plain: a break is a bug.
    if (!file || !path?.ok || written.has(file.name.toLowerCase())) {
      throw new Error(`no file name of its own for "${escapeControl(principal)}"`);
    }
    written.add(file.name.toLowerCase());
    await writeFileAtomic(path.path, renderPolicy(policy));
    if (!file.plain) await io.stderr.write(`generate: ${escapeControl(principal)} -> ${file.name}\n`);
  }
  await io.stderr.write(`generate: ${policies.length} policies written to ${escapeControl(outDir)}\n`);
}

/** The parts of a policy split by --max-size: on stdout, or one file each in --out-dir. */
async function writeSplit(
  io: Io,
  parts: PolicyDocument[],
  { maxSize, format, outDir }: { maxSize: number; format: PolicyFormat; outDir: string | undefined },
): Promise<void> {
  for (const [i, part] of parts.entries()) {
    if (policySize(part) > maxSize) {
      await io.stderr.write(`warning: policy ${i + 1} is over --max-size: one statement's actions alone exceed it\n`);
    }
  }
  if (outDir === undefined) {
    await io.stdout.write(await renderPolicies(parts, format));
    return;
  }
  for (const [i, part] of parts.entries()) {
    const extension = { json: "json", cloudformation: "yaml", terraform: "tf" }[format];
    await writeFileAtomic(join(outDir, `policy-${i + 1}.${extension}`), await renderPolicies([part], format));
  }
  await io.stderr.write(`generate: ${parts.length} policies written to ${outDir}\n`);
}

/** Reads records from stdin as a stream, prints the policy (or policies) and a summary on stderr. */
export async function runGenerate(
  io: Io,
  options: GenerateOptions = {},
  restrict: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  if (options.perPrincipal && options.maxSize !== undefined) {
    throw new UsageError("--per-principal and --max-size go separately");
  }
  const format = options.format ?? "json";
  if (options.perPrincipal && format !== "json") throw new UsageError("--per-principal writes JSON (--format json)");
  const finish = (policy: PolicyDocument) => (options.placeholders ? withPlaceholders(policy) : policy);
  if (options.outDir !== undefined && !options.perPrincipal && options.maxSize === undefined) {
    throw new UsageError("--out-dir goes with --per-principal or --max-size");
  }
  if (options.outDir !== undefined) await makeOutDir(options.outDir); // before stdin: a long read is not lost to it
  const params: GenerateParams = {
    perPrincipal: options.perPrincipal === true,
    observe: options.check === true,
    resources: options.resources,
  };
  const merged = { observe: params.observe, resolver: await resolverFor(params.resources) };
  const workers = options.workers ?? 0;
  if (options.perPrincipal) {
    const principals = new PrincipalPolicies(merged);
    await readRecords(io, principals, { pool: { workers, params }, restrict, fields: generateFields(params) });
    const policies: [string, PolicyDocument][] = [];
    for (const [principal, generator] of principals.byPrincipal()) {
      const policy = finish(await report(io, generator, `${principal}: `, options.compact === true));
      await warnIfTooBig(io, policy, `${principal}: `);
      policies.push([principal, policy]);
    }
    if (options.outDir === undefined) {
      await io.stdout.write(pythonJson(Object.fromEntries(policies), { indent: 4, sortKeys: true }) + "\n");
      return;
    }
    await writePerPrincipal(io, options.outDir, policies);
    return;
  }
  const policy = finish(await onePolicy(io, params, workers, restrict, options.compact === true));
  if (options.maxSize === undefined) {
    if (format === "json") { for (const piece of renderPolicyPieces(policy)) await io.stdout.write(piece); }
    else await io.stdout.write(await renderPolicies([policy], format));
    await warnIfTooBig(io, policy, "");
    return;
  }
  await writeSplit(io, splitPolicy(policy, options.maxSize), {
    maxSize: options.maxSize,
    format,
    outDir: options.outDir,
  });
}
