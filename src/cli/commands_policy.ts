/** The policy commands: `generate`, `check`, `guess`, and `completions`. */
import { Option } from "@commander-js/extra-typings";
import type { AnyCommand, CommandContext } from "./command_context.ts";
import { collect, positiveInt, workerCount } from "./option_parsers.ts";

/** `generate`, `check`, `guess` and `completions` (which describes the whole `program`). */
export function definePolicyCommands(program: AnyCommand, context: CommandContext): void {
  defineGenerate(program, context);
  defineCheck(program, context);
  defineGuess(program, context);
  defineCompletions(program, context);
}

/** The help text after `generate`'s options. */
const GENERATE_HELP = `
Input: a {"Records": [...]} document (a CloudTrail log file, the output of select)
or JSON Lines (one record per line), detected automatically and read as a stream.
Output: the policy JSON on stdout, formatted like trailscraper. Skipped records,
records that need no permission and actions unknown to the IAM data are reported
on stderr.

--resources builds each action's resource ARNs from the records (request
parameters, response elements, resources[], account and region) with the ARN
formats of the IAM data; an ARN that does not fit the action's formats is never
used, and actions without one keep "*" (counted on stderr).

Example:
  gunzip -c 123456789012_CloudTrail_us-east-1_20240301T0000Z_x.json.gz | trailscraper generate
  trailscraper select --log-dir logs | trailscraper generate --resources prefix --placeholders`;

/** `generate`: a least-privilege policy from records on stdin. */
function defineGenerate(program: AnyCommand, { io, restrict }: CommandContext): void {
  program.command("generate")
    .description("Generate a least-privilege IAM policy from CloudTrail records on stdin.")
    .addHelpText("after", GENERATE_HELP)
    .option(
      "--check",
      "also evaluate the policy against every observed call and report on stderr (exit 1 if any is denied)",
      false,
    )
    .option(
      "--per-principal",
      "one policy per principal (role, IAM user, root, service), as {principal: policy}",
      false,
    )
    .addOption(
      new Option("--max-size <chars>", "split into policies of at most this many characters (managed policies: 6144)")
        .argParser(positiveInt("--max-size", 100)),
    )
    .option("--out-dir <dir>", "with --per-principal or --max-size: write one file per policy here")
    .addOption(
      new Option("--format <format>", "json (trailscraper's), a CloudFormation template, or Terraform")
        .choices(["json", "cloudformation", "terraform"] as const).default("json" as const),
    )
    .addOption(
      new Option(
        "--resources <mode>",
        "build each action's resource ARNs from the records: precise (as named) or prefix (bucket/*, " +
          "table/t/index/*) (default: trailscraper's, the records' resources[], else *)",
      ).choices(["precise", "prefix"] as const),
    )
    .option(
      "--compact",
      "merge each statement's actions into service wildcards (s3:Get*) that add no access level it lacks",
      false,
    )
    .addOption(
      new Option(
        "--workers <n>",
        "Web Workers that parse stdin besides this thread, at most 256 (slower on 2 cores: docs/development.md)",
      )
        .argParser(workerCount("--workers")).default(0),
    )
    .option("--placeholders", "account ids and regions in resource ARNs as ${AWS::AccountId} / ${AWS::Region}", false)
    .action(async (options) => {
      const { runGenerate } = await import("../commands/generate.ts");
      // Permissions are dropped before stdin is read, once the parsing workers (if any) have started.
      await runGenerate(io, options, () => restrict(options.outDir === undefined ? "generate" : "generate --out-dir"));
    });
}

/** `check`: a policy against records on stdin. */
function defineCheck(program: AnyCommand, { io, restrict }: CommandContext): void {
  program.command("check")
    .description("Check a policy against CloudTrail records on stdin: what it would deny, what it grants unused.")
    .requiredOption("--policy <file>", "the IAM policy (JSON) to check (required)")
    .addOption(
      new Option("--format <format>", "report format").choices(["text", "json"] as const).default("text" as const),
    )
    .addOption(
      new Option(
        "--resources <mode>",
        "each call's resources: built from the records as generate --resources builds them (precise, or prefix: " +
          "bucket/*), or as plain generate takes them (records: the records' resources[], else *)",
      ).choices(["precise", "prefix", "records"] as const).default("precise" as const),
    )
    .addHelpText(
      "after",
      `
Evaluates every (action, resource) the records needed, on the resources each call
really touched (ARNs built as generate --resources precise builds them, * where
none can be), with IAM's matching rules: actions case-insensitive, resources
case-sensitive, * and ? wildcards, NotAction and NotResource, explicit Deny wins;
Conditions are not evaluated (reported). Lists the denied calls (exit 1 when there
are any) and the granted actions and wildcards no record used, with their access
levels (List, Read, Write, Permissions management, Tagging).

Example:
  trailscraper select --filter-assumed-role-arn ARN | trailscraper check --policy role-policy.json`,
    )
    .action(async (options) => {
      await restrict("check");
      const { runCheck } = await import("../commands/check.ts");
      await runCheck(options, io);
    });
}

/** `guess`: related actions for a policy on stdin. */
function defineGuess(program: AnyCommand, { io, restrict }: CommandContext): void {
  program.command("guess")
    .description("Extend an IAM policy on stdin with related actions (Get/List/Describe/... of the same resource).")
    .addOption(
      new Option("--only <verb>", "only guess actions with this verb, e.g. Describe (repeatable)")
        .argParser(collect).default(
          [] as string[],
          "all of Describe, Create, Delete, Update, Detach, Attach, List, Put, Get",
        ),
    )
    .addOption(
      new Option("--format <format>", "json (trailscraper's), a CloudFormation template, or Terraform")
        .choices(["json", "cloudformation", "terraform"] as const).default("json" as const),
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
      await restrict("guess");
      const { runGuess } = await import("../commands/guess.ts");
      await runGuess(options, io);
    });
}

/** `completions`: a shell completion script of the whole `program`. */
function defineCompletions(program: AnyCommand, { io, restrict }: CommandContext): void {
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
      await restrict("completions");
      const { completionScript } = await import("./completions.ts");
      await io.stdout.write(completionScript(program, shell));
    });
}
