/** `check`: does a policy allow what the records did, and what does it grant that nobody used. */
import { InputError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import { collectGarbage } from "../runtime/collect_garbage.ts";
import { MAX_POLICY_BYTES, readAllText } from "../runtime/stdin_text.ts";
import { iamLevels } from "../core/policy/iam_levels.ts";
import { identityPolicyProblem } from "../core/policy/identity_policy_problem.ts";
import { ObservedCalls } from "../core/policy/observed_calls.ts";
import { parsePolicy, policyTooLarge } from "../core/policy/parse_policy.ts";
import { checkPolicy } from "../core/policy/policy_check.ts";
import { processingIssue } from "../core/util/processing_issue.ts";
import { parseRecord } from "../core/records/record.ts";
import { recordGrant } from "../core/iam/record_grant.ts";
import type { ResourceMode, ResourceResolver } from "../core/iam/resource_arns.ts";
import { type CheckInput, checkSummary, renderCheckJson, renderCheckText } from "../output/policy_check_report.ts";
import { readRecords, type RecordTarget } from "./generate_input.ts";
import { CountedReasons, type RecordEffect, RecordEffects } from "../core/policy/record_effects.ts";
import { resolverFor } from "../steps/resource_resolver.ts";
import { generateFields } from "../steps/generate_step.ts";
import { errorMessage } from "../core/util/error_message.ts";

/** Options of `check`. */
export interface CheckOptions {
  policy: string;
  format: "text" | "json";
  /**
   * Each call's resources: built from the records as `generate --resources` builds them (precise, the default, or
   * prefix), or `records`: as plain `generate` takes them (the records' resources[], else *).
   */
  resources?: CheckResourceMode | undefined;
}

/** How `check` builds the resources of each call. */
export type CheckResourceMode = ResourceMode | "records";

/** Reads the policy file and the records on stdin; prints the report; exit 1 when a call would be denied. */
export async function runCheck(options: CheckOptions, io: Io): Promise<void> {
  let text: string | undefined;
  try {
    // Read as a stream with a limit: `--policy /dev/zero` (or a FIFO without end) must not fill the memory.
    using file = await Deno.open(options.policy);
    text = await readAllText(file.readable, MAX_POLICY_BYTES);
  } catch (e) {
    throw new InputError(`cannot read policy "${options.policy}": ${errorMessage(e)}`);
  }
  if (text === undefined) throw new InputError(`cannot read policy "${options.policy}": ${policyTooLarge()}`);
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new InputError(`cannot read policy "${options.policy}": ${parsed.issue}`);
  const problem = identityPolicyProblem(parsed.policy);
  if (problem) throw new InputError(`cannot read policy "${options.policy}": ${problem}`);
  const observed = new ObservedCalls();
  const mode = options.resources ?? "precise";
  const resources = mode === "records" ? undefined : mode;
  const resolver = await resolverFor(resources);
  const input: CheckInput = { records: 0, skipped: {}, ignored: {} };
  await readRecords(io, checkTarget(input, observed, resolver), {
    fields: generateFields({ perPrincipal: false, observe: false, resources }),
  });
  collectGarbage();
  const check = checkPolicy(parsed.policy, observed.unsorted(), iamLevels);
  if (options.format === "json") {
    await io.stdout.write(renderCheckJson(check, input));
    await io.stderr.write(checkSummary(check, input) + "\n");
  } else await io.stdout.write(renderCheckText(check, input));
  if (check.denied.length > 0) {
    throw new InputError(`the policy denies ${check.denied.length} of ${check.calls} observed calls`);
  }
}

/** Where check's records go: counted into `input` and `observed`, repeats by what their first one did. */
function checkTarget(input: CheckInput, observed: ObservedCalls, resolver: ResourceResolver | undefined): RecordTarget {
  const effects = new RecordEffects();
  const reasons = new CountedReasons();
  const add = (raw: unknown, effect: RecordEffect) => {
    const record = parseRecord(raw, false);
    if (!record.ok) {
      effect.counted = reasons.count(input.skipped, record.issue);
      return;
    }
    const grant = recordGrant(record.record);
    if (grant.kind !== "grant") {
      effect.counted = reasons.count(input.ignored, grant.reason);
      return;
    }
    if (!resolver) return observed.add(grant.actions, grant.resources, 1, effect.slots);
    for (const { action, resources } of resolver.resolveGrant(record.record, grant)) {
      observed.add([action], resources, 1, effect.slots);
    }
  };
  const target: RecordTarget = {
    add(raw, id) {
      input.records++;
      const effect: RecordEffect = { counted: 0, groups: [], slots: id === undefined ? undefined : [] };
      try {
        add(raw, effect);
      } catch (e) {
        effect.counted = reasons.count(input.skipped, processingIssue(e)); // nested too deeply, ...: this record only
      }
      if (id !== undefined) effects.keep(id, effect);
    },
    merge() {
      throw new Error("check parses stdin in this thread");
    },
  };
  // Repeats pay where a record costs ARN resolution (not with `--resources records`): see generate.
  if (resolver) {
    target.repeat = (id) => {
      input.records++;
      const counted = effects.counted(id);
      if (counted < 0) reasons.recount(counted);
      const pairs = effects.pairs(id);
      if (pairs) observed.repeat(...pairs);
    };
  }
  return target;
}
