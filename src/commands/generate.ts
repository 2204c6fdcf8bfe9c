/** `generate`: CloudTrail records on stdin -> least-privilege policy on stdout. */
import { InputError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { PolicyGenerator } from "../core/policy_generator.ts";
import { JsonStreamError } from "../core/record_stream_parser.ts";
import { generateSummary } from "../output/generate_summary.ts";
import { renderPolicy } from "../output/policy_json.ts";
import { streamRecords } from "../sources/stdin_records.ts";

/** Options of `generate`. */
export interface GenerateOptions {
  /** Check the policy against every observed call (IAM's matching rules) and report on stderr. */
  check: boolean;
}

/** Reads records from stdin as a stream, prints the policy and a summary on stderr. */
export async function runGenerate(io: Io, options: GenerateOptions = { check: false }): Promise<void> {
  if (io.stdinIsTerminal) {
    await io.stderr.write("Reading CloudTrail records from stdin (end with Ctrl-D)...\n");
  }
  const generator = new PolicyGenerator({ observe: options.check });
  try {
    for await (const batch of streamRecords(io.stdin)) {
      for (const raw of batch) generator.add(raw);
    }
  } catch (e) {
    if (e instanceof JsonStreamError) {
      throw new InputError(`cannot read records from stdin: ${e.message}`, { cause: e });
    }
    throw e;
  }
  const result = generator.result();
  for (const action of result.unknownActions) {
    await io.stderr.write(`warning: "${action}" is not in the IAM data; kept in the policy, check its name\n`);
  }
  await io.stderr.write(generateSummary(result) + "\n");
  await io.stdout.write(renderPolicy(result.policy));
  if (generator.observed) {
    const { checkPolicy } = await import("../core/policy_check.ts");
    const { iamLevels } = await import("../core/iam_levels.ts");
    const { renderCheckText } = await import("../output/policy_check_report.ts");
    const check = checkPolicy(result.policy, generator.observed.calls(), iamLevels);
    await io.stderr.write(renderCheckText(check));
    if (check.denied.length > 0) {
      throw new InputError(`the generated policy denies ${check.denied.length} observed calls; please report it`);
    }
  }
}
