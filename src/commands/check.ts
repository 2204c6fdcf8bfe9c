/** `check`: does a policy allow what the records did, and what does it grant that nobody used. */
import { InputError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { iamLevels } from "../core/iam_levels.ts";
import { ObservedCalls } from "../core/observed_calls.ts";
import { parsePolicy } from "../core/parse_policy.ts";
import { checkPolicy } from "../core/policy_check.ts";
import { parseRecord } from "../core/record.ts";
import { recordGrant } from "../core/record_grant.ts";
import { JsonStreamError } from "../core/record_stream_parser.ts";
import { renderCheckJson, renderCheckText } from "../output/policy_check_report.ts";
import { streamRecords } from "../sources/stdin_records.ts";

/** Options of `check`. */
export interface CheckOptions {
  policy: string;
  format: "text" | "json";
}

/** Reads the policy file and the records on stdin; prints the report; exit 1 when a call would be denied. */
export async function runCheck(options: CheckOptions, io: Io): Promise<void> {
  let text: string;
  try {
    text = await Deno.readTextFile(options.policy);
  } catch (e) {
    throw new InputError(`cannot read policy "${options.policy}": ${e instanceof Error ? e.message : e}`);
  }
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new InputError(`cannot read policy "${options.policy}": ${parsed.issue}`);
  if (io.stdinIsTerminal) await io.stderr.write("Reading CloudTrail records from stdin (end with Ctrl-D)...\n");
  const observed = new ObservedCalls();
  try {
    for await (const batch of streamRecords(io.stdin)) {
      for (const raw of batch) {
        const record = parseRecord(raw);
        if (!record.ok) continue;
        const grant = recordGrant(record.record);
        if (grant.kind === "grant") observed.add(grant.actions, grant.resources);
      }
    }
  } catch (e) {
    if (e instanceof JsonStreamError) {
      throw new InputError(`cannot read records from stdin: ${e.message}`, { cause: e });
    }
    throw e;
  }
  const check = checkPolicy(parsed.policy, observed.calls(), iamLevels);
  await io.stdout.write(options.format === "json" ? renderCheckJson(check) : renderCheckText(check));
  if (check.denied.length > 0) {
    throw new InputError(`the policy denies ${check.denied.length} of ${check.calls} observed calls`);
  }
}
