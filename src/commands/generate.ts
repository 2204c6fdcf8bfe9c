/** `generate`: CloudTrail records on stdin -> least-privilege policy on stdout. */
import { InputError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { PolicyGenerator } from "../core/policy_generator.ts";
import { JsonStreamError } from "../core/record_stream_parser.ts";
import { generateSummary } from "../output/generate_summary.ts";
import { renderPolicy } from "../output/policy_json.ts";
import { streamRecords } from "../sources/stdin_records.ts";

/** Reads records from stdin as a stream, prints the policy and a summary on stderr. */
export async function runGenerate(io: Io): Promise<void> {
  if (io.stdinIsTerminal) {
    await io.stderr.write("Reading CloudTrail records from stdin (end with Ctrl-D)...\n");
  }
  const generator = new PolicyGenerator();
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
}
