/**
 * The command tree. Each command's implementation is imported only when it runs,
 * so `--help` stays fast and never loads data or the AWS SDK.
 */
import { Command, Option } from "@commander-js/extra-typings";
import type { Io } from "./io.ts";
import { VERSION_TEXT } from "./version.ts";

/** What `--help` / `--version` / commander errors wrote, flushed by `run`. */
export interface CommanderOutput {
  out: string[];
  err: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

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
      outputError: (s, write) => write(s.trim().replace(/\s*\n\s*/g, " ") + "\n"),
    })
    .addHelpText(
      "after",
      `
Pipelines:
  trailscraper select --filter-assumed-role-arn ARN | trailscraper generate | trailscraper guess

Exit codes: 0 ok, 1 failure, 2 usage error, 130 interrupted.`,
    );

  program.command("generate")
    .description("Generate a least-privilege IAM policy from CloudTrail records on stdin.")
    .addHelpText(
      "after",
      `
Input: a {"Records": [...]} document (a CloudTrail log file, the output of select)
or JSON Lines (one record per line), detected automatically and read as a stream.
Output: the policy JSON on stdout, formatted like trailscraper. Skipped records,
records that need no permission and actions unknown to the IAM data are reported
on stderr.

Example:
  gunzip -c 123456789012_CloudTrail_us-east-1_20240301T0000Z_x.json.gz | trailscraper generate`,
    )
    .action(async () => {
      const { runGenerate } = await import("../commands/generate.ts");
      await runGenerate(io);
    });

  program.command("guess")
    .description("Extend an IAM policy on stdin with related actions (Get/List/Describe/... of the same resource).")
    .addOption(
      new Option("--only <verb>", "only guess actions with this verb, e.g. Describe (repeatable)")
        .argParser(collect).default(
          [] as string[],
          "all of Describe, Create, Delete, Update, Detach, Attach, List, Put, Get",
        ),
    )
    .addHelpText(
      "after",
      `
Each statement is followed by a statement of its guesses on Resource "*". Guesses
come from the full IAM action list; nothing already granted is guessed again.

Example:
  trailscraper generate < records.json | trailscraper guess --only Describe --only List`,
    )
    .action(async (options) => {
      const { runGuess } = await import("../commands/guess.ts");
      await runGuess(options, io);
    });

  program.command("completions")
    .description("Print a shell completion script.")
    .addArgument(program.createArgument("<shell>", "bash, zsh or fish").choices(["bash", "zsh", "fish"] as const))
    .addHelpText(
      "after",
      `
Install:
  bash: trailscraper completions bash > ~/.local/share/bash-completion/completions/trailscraper
  zsh:  trailscraper completions zsh > "\${fpath[1]}/_trailscraper"
  fish: trailscraper completions fish > ~/.config/fish/completions/trailscraper.fish`,
    )
    .action(async (shell) => {
      const { completionScript } = await import("./completions.ts");
      await io.stdout.write(completionScript(program, shell));
    });

  return program;
}
