/**
 * The command tree. Each command's implementation is imported only when it runs,
 * so `--help` stays fast and never loads data or the AWS SDK.
 */
import { Command } from "@commander-js/extra-typings";
import { COMMAND_PERMISSIONS, keptPermissions } from "../runtime/command_permissions.ts";
import { defineDownload, defineSync } from "./commands_logs.ts";
import { definePolicyCommands } from "./commands_policy.ts";
import { defineChanges, defineLastEventTimestamp, defineMcp, defineSelect } from "./commands_query.ts";
import { defineValidate } from "./commands_validate.ts";
import { usesCredentialProcess } from "./credential_process.ts";
import type { AnyCommand } from "./command_context.ts";
import type { Io } from "../runtime/io.ts";
import { VERSION_TEXT } from "../runtime/version.ts";
import { UsageError } from "../runtime/errors.ts";
import { MAX_INFLATED_VARIABLE, maxInflatedProblem } from "../sources/max_inflated_variable.ts";

/** What `--help` / `--version` / commander errors wrote, flushed by `run`. */
export interface CommanderOutput {
  out: string[];
  err: string[];
  /** The help of the command that runs, for the hint after a usage error (set when its action starts). */
  helpCommand?: string;
}

/** `trailscraper sync init --help`: how to get the help of `command`. */
function helpCommandOf(command: AnyCommand): string {
  const names: string[] = [];
  for (let c: AnyCommand | null = command; c; c = c.parent) names.unshift(c.name());
  return `${names.join(" ")} --help`;
}

/** Every usage error commander reports ends with the help of the command it concerns. */
function hintHelpAfterErrors(command: AnyCommand): void {
  command.showHelpAfterError(`Run '${helpCommandOf(command)}' for usage.`);
  for (const sub of command.commands) hintHelpAfterErrors(sub);
}

/** Builds the program; actions write through `io`, commander's own text goes to `output`. */
export function buildProgram(io: Io, output: CommanderOutput) {
  const program = new Command("trailscraper")
    .description("A command-line tool to get valuable information out of AWS CloudTrail.")
    .version(VERSION_TEXT, "--version", "print the tool version and the IAM data version, then exit")
    .option("--verbose", "print debug details and stack traces on stderr", false)
    .helpOption("-h, --help", "show help")
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void output.out.push(s),
      writeErr: (s) => void output.err.push(s),
      // Commander's own colour detection reads env vars (a permission prompt under Deno): plain text.
      getOutHasColors: () => false,
      getErrHasColors: () => false,
      // Help is 80 columns wide everywhere (as commander makes it when stdout is not a terminal), so help
      // snapshots are stable and nothing touches Node's process.stdout.
      getOutHelpWidth: () => 80,
      getErrHelpWidth: () => 80,
      stripColor: (text) => text,
      outputError: (s, write) => write(s.trim().replace(/\s*\n\s*/g, " ") + "\n"),
    })
    .addHelpText(
      "after",
      `
Pipelines:
  trailscraper select --filter-assumed-role-arn ARN | trailscraper generate | trailscraper guess

Exit codes: 0 ok, 1 failure, 2 usage error, 130 interrupted.`,
    );

  const verbose = () => program.opts().verbose === true;
  /** Drops every Deno permission the command does not need, before it reads any input (see command_permissions.ts). */
  const restrict = async (command: string) => {
    const kinds = COMMAND_PERMISSIONS[command] ?? [];
    const credentialProcess = kinds.includes("net") && (await usesCredentialProcess(io));
    const kept = await io.dropPermissions(keptPermissions(command, credentialProcess));
    if (verbose()) await io.stderr.write(`permissions kept by ${command}: ${kept.join(", ") || "none"}\n`);
  };

  const ctx = { io, verbose, restrict };
  defineDownload(program, ctx);
  defineSelect(program, ctx);
  defineSync(program, ctx);
  defineValidate(program, ctx);
  defineChanges(program, ctx);
  defineMcp(program, ctx);
  defineLastEventTimestamp(program, ctx);
  definePolicyCommands(program, ctx);
  hintHelpAfterErrors(program);
  program.hook("preAction", (_program, action) => {
    output.helpCommand = helpCommandOf(action);
    const problem = maxInflatedProblem(io.env(MAX_INFLATED_VARIABLE));
    if (problem) throw new UsageError(problem);
  });
  return program;
}
