/** `guess`: policy on stdin -> policy with related actions on stdout. */
import { InputError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import { MAX_POLICY_BYTES, readAllText } from "../runtime/stdin_text.ts";
import { guessPolicy, titleCase } from "../core/policy/guess.ts";
import { parsePolicy, policyTooLarge } from "../core/policy/parse_policy.ts";
import { type PolicyFormat, renderPolicies } from "../output/policy_format.ts";

/** Options of `guess`. */
export interface GuessCommandOptions {
  only: string[];
  format?: PolicyFormat;
}

/** Reads a policy from stdin and prints it with guessed statements. */
export async function runGuess(options: GuessCommandOptions, io: Io): Promise<void> {
  if (io.stdinIsTerminal) await io.stderr.write("Reading an IAM policy from stdin (end with Ctrl-D)...\n");
  const text = await readAllText(io.stdin, MAX_POLICY_BYTES);
  if (text === undefined) throw new InputError(`cannot read policy from stdin: ${policyTooLarge()}`);
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new InputError(`cannot read policy from stdin: ${parsed.issue}`);
  const policy = guessPolicy(parsed.policy, { only: options.only.map(titleCase) });
  await io.stdout.write(await renderPolicies([policy], options.format ?? "json"));
}
