/**
 * The command tree. Each command's implementation is imported only when it runs,
 * so `--help` stays fast and never loads data or the AWS SDK.
 */
import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { COMMAND_PERMISSIONS, keptPermissions } from "./command_permissions.ts";
import { usesCredentialProcess } from "./credential_process.ts";
import type { Io } from "./io.ts";
import categoryIds from "../../data/change_category_ids.json" with { type: "json" };
import { DEFAULT_LOG_DIR } from "./log_dir.ts";
import { VERSION_TEXT } from "./version.ts";

/** What `--help` / `--version` / commander errors wrote, flushed by `run`. */
export interface CommanderOutput {
  out: string[];
  err: string[];
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Like `collect`, for an option whose values come from a fixed list. */
function collectChoice(option: string, choices: readonly string[]) {
  return (value: string, previous: string[] | undefined): string[] => {
    if (!choices.includes(value)) {
      throw new InvalidArgumentError(`${option} takes one of ${choices.join(", ")}; got "${value}"`);
    }
    return collect(value, previous);
  };
}

/** The default archive folder of `sync` (config: events_dir). */
const SYNC_DEFAULT_DIR = "events";

/** The category ids of `changes --category` (data/change_events.json holds their events). */
const CATEGORY_CHOICES: readonly string[] = categoryIds.ids;

function positiveInt(option: string, min = 0) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new InvalidArgumentError(
        `${option} takes a whole number${min > 0 ? ` of at least ${min}` : ""}, got "${value}"`,
      );
    }
    return Number(value);
  };
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

  program.command("download")
    .description("Download CloudTrail log files from S3 into the local log dir.")
    .requiredOption("--bucket <name>", "the S3 bucket that holds the CloudTrail logs (required)")
    .option("--prefix <prefix>", "key prefix before AWSLogs/ (a trailing slash is added if missing)", "")
    .addOption(
      new Option("--org-id <id>", "organization ID, for organization trails (repeatable)").argParser(collect)
        .default([] as string[], "none: account trails"),
    )
    .addOption(
      new Option("--account-id <id>", "account whose logs to download (required, repeatable)").argParser(collect)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        "--region <region>",
        "region whose logs to download (required, repeatable; global services log to us-east-1)",
      )
        .argParser(collect).makeOptionMandatory(),
    )
    .option("--log-dir <dir>", "where to put the log files (the layout select reads)", DEFAULT_LOG_DIR)
    .option("--from <time>", 'start of the time range, e.g. "2017-01-01", "-1days"', "one day ago")
    .option("--to <time>", 'end of the time range, e.g. "2017-01-01" or "now"', "now")
    .option("--wait", "after downloading, wait until the logs hold an event after --to", false)
    .addOption(
      new Option("--wait-interval <seconds>", "with --wait: seconds between attempts").argParser(
        positiveInt("--wait-interval", 1),
      ).default(60),
    )
    .addOption(
      new Option("--wait-timeout <seconds>", "with --wait: give up (exit 1) after this many seconds").argParser(
        positiveInt("--wait-timeout", 1),
      ).default(1800),
    )
    .addOption(
      new Option("--parallelism <n>", "files to download at once").argParser(positiveInt("--parallelism", 1))
        .default(10),
    )
    .option("--profile <name>", "AWS profile (default: AWS_PROFILE, then the default chain)")
    .option("--endpoint-url <url>", "S3 endpoint (default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, then AWS)")
    .addHelpText(
      "after",
      `
Downloads <prefix>AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/ for every
UTC day the range touches to <log-dir>/<key>. Files already there with the size S3
reports are skipped; every file is written to a temporary name and renamed when
complete, so an interrupted run leaves no partial file and a rerun completes the set.
Credentials come from the AWS SDK default chain (environment, profiles, SSO,
assume-role, credential_process). Needs s3:ListBucket and s3:GetObject (and
kms:Decrypt for SSE-KMS buckets).

Example:
  trailscraper download --bucket my-trail-bucket --account-id 111122223333 \\
    --region us-east-1 --region eu-west-1 --from "two days ago"`,
    )
    .action(async (options) => {
      await restrict("download");
      const { runDownload } = await import("../commands/download.ts");
      await runDownload({ ...options, verbose: verbose() }, io);
    });

  program.command("select")
    .description("Print the CloudTrail records in the local log dir that match the filters.")
    .option("--log-dir <dir>", "where the log files are (the layout download writes)", DEFAULT_LOG_DIR)
    .addOption(
      new Option("--filter-assumed-role-arn <arn>", "only records of this assumed role (repeatable: any of them)")
        .argParser(collect).default([] as string[], "all records"),
    )
    .option("--from <time>", 'start of the time range, e.g. "2017-01-01", "-1days", "one hour ago"', "1970-01-01")
    .option("--to <time>", 'end of the time range (inclusive), e.g. "2017-01-01" or "now"', "now")
    .addOption(
      new Option("--format <format>", 'output: a {"Records": [...]} document (json) or one record per line (jsonl)')
        .choices(["json", "jsonl"] as const).default("json" as const),
    )
    .addOption(
      new Option("--workers <n>", "parallel Web Workers that read and filter files (0: none)")
        .argParser(positiveInt("--workers")).default(navigator.hardwareConcurrency, "the number of cores"),
    )
    .option("--use-cloudtrail-api", "query the CloudTrail LookupEvents API instead of --log-dir", false)
    .addOption(
      new Option("--region <region>", "with --use-cloudtrail-api: region to query (repeatable)").argParser(collect)
        .default([] as string[], "AWS_REGION or the profile's region"),
    )
    .option("--profile <name>", "with --use-cloudtrail-api: AWS profile (default: AWS_PROFILE)")
    .option("--endpoint-url <url>", "with --use-cloudtrail-api: endpoint (default: AWS_ENDPOINT_URL_CLOUDTRAIL)")
    .addHelpText(
      "after",
      `
Reads every CloudTrail log file below --log-dir (account and organization-trail
layouts; digests and other files are passed over) whose delivery time is between
--from and one hour after --to, and prints the records of that time range, in
sorted file order. Times are UTC.

With --use-cloudtrail-api it pages through LookupEvents instead (2 requests per
second per region, the service's limit; 90 days of management events), querying
the regions concurrently, newest events first. Needs cloudtrail:LookupEvents.

Example:
  trailscraper select --filter-assumed-role-arn arn:aws:iam::111122223333:role/ci --from "two days ago" |
    trailscraper generate`,
    )
    .action(async ({ useCloudtrailApi, ...options }) => {
      await restrict(useCloudtrailApi ? "select --use-cloudtrail-api" : "select");
      if (useCloudtrailApi) {
        const { runSelectApi } = await import("../commands/select_api.ts");
        await runSelectApi({ ...options, verbose: verbose() }, io);
      } else {
        const { runSelect } = await import("../commands/select.ts");
        await runSelect({ ...options, verbose: verbose() }, io);
      }
    });

  const sync = program.command("sync")
    .description("Sync CloudTrail logs from S3 into a de-duplicated, partitioned JSON Lines archive that resumes.")
    .option("--config <file>", "gocloudtrail-style config (JSON with comments); `sync init` writes one")
    .option("--bucket <name>", "sync this one trail bucket instead of the config's trails")
    .option("--prefix <prefix>", "with --bucket: key prefix before AWSLogs/")
    .option("--trail-name <name>", "with --bucket: the trail's name in the state (default: the bucket)")
    .option("--events-dir <dir>", `archive folder (config: events_dir; default "${SYNC_DEFAULT_DIR}")`)
    .option("--state-db <file>", `SQLite state (config: state_db; default "state.db")`)
    .addOption(
      new Option("--download-workers <n>", "S3 downloads in flight (config: download_workers; default 50)")
        .argParser(positiveInt("--download-workers", 1)),
    )
    .addOption(
      new Option("--process-workers <n>", "Web Workers that parse (config: process_workers; default 0 = cores)")
        .argParser(positiveInt("--process-workers")),
    )
    .option("--in-thread", "parse in the main thread instead of Web Workers (one isolate; for measuring)", false)
    .addOption(
      new Option("--list-batch-size <n>", "keys per S3 LIST page (config: list_batch_size; default 1000)")
        .argParser(positiveInt("--list-batch-size", 1)),
    )
    .addOption(
      new Option("--events-per-file <n>", "lines per part file (config: events_per_file; default 10000)")
        .argParser(positiveInt("--events-per-file", 1)),
    )
    .addOption(
      new Option("--progress-interval <seconds>", "seconds between progress lines (config: progress_interval; 10)")
        .argParser(positiveInt("--progress-interval", 1)),
    )
    .addOption(
      new Option("--compress <kind>", 'gzip writes part-<n>.jsonl.gz (config: compress; default "none")')
        .choices(["none", "gzip"] as const),
    )
    .option(
      "--dry-run",
      "print the account/region folders found and how many files each would fetch; fetch nothing",
      false,
    )
    .option("--profile <name>", "AWS profile (default: AWS_PROFILE)")
    .option("--endpoint-url <url>", "S3 endpoint (default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL)")
    .addHelpText(
      "after",
      `
Finds every account and region of each trail by S3 delimiter listings (account and
organization layouts, every page), lists only what is new since the last run, GETs
files in parallel, parses them in Web Workers and appends each record once (exact
de-duplication by eventID, across trails and runs) to
  <events-dir>/account=<id>/region=<region>/date=<YYYY-MM-DD>/part-<n>.jsonl
A file counts as done only after its events are fsynced; a killed run is cut back
to its last commit on the next start and resumes with nothing lost or duplicated.
Failed files (corrupt, gone, denied) are recorded and retried on the next run.
Needs s3:ListBucket and s3:GetObject (kms:Decrypt for SSE-KMS).

Examples:
  trailscraper sync init sync.jsonc && trailscraper sync --config sync.jsonc
  trailscraper sync --bucket my-trail-bucket --events-dir events
  trailscraper select --log-dir events --filter-assumed-role-arn ARN | trailscraper generate`,
    )
    .action(async (options) => {
      await restrict("sync");
      const { runSync } = await import("../commands/sync.ts");
      await runSync({ ...options, verbose: verbose() }, io);
    });

  sync.command("init")
    .description("Write a sync config for every trail DescribeTrails finds in the enabled regions.")
    .argument("[file]", "where to write it", "sync.jsonc")
    .addOption(
      new Option("--region <region>", "ask only this region (repeatable)").argParser(collect)
        .default([] as string[], "every region of the aws partition; regions not enabled are skipped"),
    )
    .option("--force", "overwrite an existing file", false)
    .addHelpText(
      "after",
      `
Shadow copies of multi-region trails and organization trails are listed once (by
TrailARN); trails that write to the same bucket and prefix become one entry. Takes
sync's --profile and --endpoint-url (a CloudTrail endpoint here; default:
AWS_ENDPOINT_URL_CLOUDTRAIL). Needs cloudtrail:DescribeTrails.`,
    )
    .action(async (file, options, command) => {
      const { profile, endpointUrl } = command.optsWithGlobals() as { profile?: string; endpointUrl?: string };
      await restrict("sync init");
      const { runSyncInit } = await import("../commands/sync_init.ts");
      await runSyncInit(file, { ...options, profile, endpointUrl, verbose: verbose() }, io);
    });

  program.command("changes")
    .description("Show the infrastructure changes before and during an alert (security groups, IAM, scaling, ...).")
    .option("--from <time>", 'start of the alert, e.g. "2024-03-01T10:00Z", "15 minutes ago"', "now")
    .option("--to <time>", "end of the alert", "now")
    .option(
      "--lookback <minutes>",
      "also show changes this many minutes before --from (default: AWS_CLOUDTRAIL_LOOKBACK_MINUTES, else 30)",
    )
    .addOption(
      new Option("--region <region>", "region to query (repeatable)").argParser(collect)
        .default([] as string[], "the AWS config's region, else us-east-1; with --log-dir all regions"),
    )
    .option(
      "--region-allowlist <regions>",
      "comma-separated regions that may be queried; others are refused (default: TRAILSCRAPER_REGION_ALLOWLIST)",
    )
    .addOption(
      new Option("--category <id>", `only this category (repeatable): ${CATEGORY_CHOICES.join(", ")}`)
        .argParser(collectChoice("--category", CATEGORY_CHOICES)).default([] as string[], "all"),
    )
    .addOption(
      new Option("--actor <arn>", "only changes by this role, user or session ARN (repeatable)").argParser(collect)
        .default([] as string[], "anyone"),
    )
    .addOption(
      new Option("--resource <id>", "only changes of this resource id or name, e.g. sg-0abc (repeatable)")
        .argParser(collect).default([] as string[], "all write events"),
    )
    .option("--no-failed", "leave out failed attempts (AccessDenied, ...), which are shown by default")
    .option(
      "--max-events <n>",
      "at most this many changes, the newest (default: AWS_CLOUDTRAIL_MAX_EVENTS, else 50)",
    )
    .option("--per-category <n>", "changes listed per category in the report, then +N more", "5")
    .addOption(
      new Option("--format <format>", "report format").choices(["markdown", "text", "json"] as const)
        .default("markdown" as const),
    )
    .option("--best-effort", "report failures inside the output and exit 0 (for incident pipelines)", false)
    .option("--log-dir <dir>", "read downloaded logs or the sync archive instead of the CloudTrail API")
    .addOption(
      new Option("--workers <n>", "with --log-dir: parallel Web Workers (0: none)")
        .argParser(positiveInt("--workers")).default(navigator.hardwareConcurrency, "the number of cores"),
    )
    .option("--profile <name>", "AWS profile (default: AWS_PROFILE)")
    .option("--endpoint-url <url>", "CloudTrail endpoint (default: AWS_ENDPOINT_URL_CLOUDTRAIL)")
    .addHelpText(
      "after",
      `
Shows the tracked write events (about 140, in 8 categories: security-groups,
auto-scaling, ec2-lifecycle, iam, storage, database, networking, load-balancers)
between --from minus --lookback and --to, grouped by category, then as a timeline.
Times are relative to the alert: "5m before the alert", or "2m ago" counted back
from --to. Failed attempts are marked with their error code.

From the API it asks LookupEvents for write events only (ReadOnly=false), or, with
--resource, for each resource by ResourceName; 2 requests per second per region,
regions in parallel, 90 days of management events. Needs cloudtrail:LookupEvents.
With --log-dir it reads local logs (any age, data events too).

Example:
  trailscraper changes --from "20 minutes ago" --region eu-west-1 --format json`,
    )
    .action(async (options) => {
      await restrict(options.logDir === undefined ? "changes" : "changes --log-dir");
      const { runChanges } = await import("../commands/changes.ts");
      await runChanges({ ...options, verbose: verbose() }, io);
    });

  program.command("mcp")
    .description("Serve the answers of changes, select and generate as MCP tools over stdio, for AI agents.")
    .option(
      "--allow-aws-read",
      "allow read-only AWS calls (default: TRAILSCRAPER_MCP_ALLOW_AWS_READ=true, else off)",
      false,
    )
    .option(
      "--region-allowlist <regions>",
      "comma-separated regions tools may query (default: TRAILSCRAPER_REGION_ALLOWLIST)",
    )
    .option("--log-dir <dir>", "answer from local logs or the sync archive instead of AWS")
    .option("--profile <name>", "AWS profile (default: AWS_PROFILE)")
    .option("--endpoint-url <url>", "CloudTrail endpoint (default: AWS_ENDPOINT_URL_CLOUDTRAIL)")
    .addHelpText(
      "after",
      `
Tools: cloudtrail_changes (the changes report as JSON and Markdown),
cloudtrail_events (records of a role, user or session in a window, capped) and
generate_policy (a policy from records, or from a principal and window).

AWS access is off unless started with --allow-aws-read; a call outside the gates
(AWS off, a region not allowed) gets a tool error naming the gate and makes no AWS
call. Only read APIs are called (cloudtrail:LookupEvents). stdout carries the
protocol only; logs go to stderr.

Example (an MCP client's config):
  { "command": "trailscraper", "args": ["mcp", "--allow-aws-read", "--region-allowlist", "eu-west-1"] }`,
    )
    .action(async (options) => {
      await restrict(options.logDir === undefined ? "mcp" : "mcp --log-dir");
      const { runMcp } = await import("../commands/mcp.ts");
      await runMcp({ ...options, verbose: verbose() }, io);
    });

  program.command("last-event-timestamp")
    .description("Print the time of the newest event in the local log dir.")
    .option("--log-dir <dir>", "where the log files are", DEFAULT_LOG_DIR)
    .addHelpText(
      "after",
      `
Prints e.g. 2024-03-01 09:40:13+00:00. Reads files newest delivery first and stops
when no older file can hold a newer event.`,
    )
    .action(async (options) => {
      await restrict("last-event-timestamp");
      const { runLastEventTimestamp } = await import("../commands/last_event_timestamp.ts");
      await runLastEventTimestamp({ ...options, verbose: verbose() }, io);
    });

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
    .option("--placeholders", "account ids and regions in resource ARNs as ${AWS::AccountId} / ${AWS::Region}", false)
    .action(async (options) => {
      await restrict(options.outDir === undefined ? "generate" : "generate --out-dir");
      const { runGenerate } = await import("../commands/generate.ts");
      await runGenerate(io, options);
    });

  program.command("check")
    .description("Check a policy against CloudTrail records on stdin: what it would deny, what it grants unused.")
    .requiredOption("--policy <file>", "the IAM policy (JSON) to check (required)")
    .addOption(
      new Option("--format <format>", "report format").choices(["text", "json"] as const).default("text" as const),
    )
    .addHelpText(
      "after",
      `
Evaluates every (action, resource) the records needed with IAM's matching rules:
actions case-insensitive, resources case-sensitive, * and ? wildcards, NotAction
and NotResource, explicit Deny wins; Conditions are not evaluated (reported).
Lists the denied calls (exit 1 when there are any) and the granted actions and
wildcards no record used, with their access levels (List, Read, Write,
Permissions management, Tagging).

Example:
  trailscraper select --filter-assumed-role-arn ARN | trailscraper check --policy role-policy.json`,
    )
    .action(async (options) => {
      await restrict("check");
      const { runCheck } = await import("../commands/check.ts");
      await runCheck(options, io);
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

  return program;
}
