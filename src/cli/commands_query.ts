/** The commands that read events: `select`, `changes`, `mcp` and `last-event-timestamp`. */
import { Option } from "@commander-js/extra-typings";
import type { AnyCommand, CommandContext } from "./command_context.ts";
import categoryIds from "../../data/change_category_ids.json" with { type: "json" };
import { DEFAULT_LOG_DIR } from "../runtime/log_dir_option.ts";
import { collect, collectChoice, endpointUrl, withChoices, workerCount } from "./option_parsers.ts";

/** The category ids of `changes --category` (data/change_events.json holds their events). */
const CATEGORY_CHOICES: readonly string[] = categoryIds.ids;

/** The help text after `select`'s options. */
const SELECT_HELP = `
Reads every CloudTrail log file below --log-dir (account and organization-trail
layouts; digests and other files are passed over) whose delivery time is between
--from and one hour after --to, and prints the records of that time range, in
sorted file order. Times are UTC.

With --use-cloudtrail-api it pages through LookupEvents instead (2 requests per
second per region, the service's limit; 90 days of management events), querying
the regions concurrently, newest events first. Needs cloudtrail:LookupEvents.

Example:
  trailscraper select --filter-assumed-role-arn arn:aws:iam::111122223333:role/ci --from "two days ago" |
    trailscraper generate`;

/** `select`: records from the log dir, the archive or the CloudTrail API. */
export function defineSelect(program: AnyCommand, { io, verbose, restrict }: CommandContext): void {
  program.command("select")
    .description("Print the CloudTrail records in the local log dir that match the filters.")
    .option("--log-dir <dir>", "where the log files are (the layout download writes)", DEFAULT_LOG_DIR)
    .addOption(
      new Option(
        "--filter-assumed-role-arn <arn>",
        "only records of this role (repeatable: any of them); a session ARN (sts ... assumed-role/NAME/SESSION) " +
          "stands for its role",
      )
        .argParser(collect).default([] as string[], "all records"),
    )
    .option("--from <time>", 'start of the time range, e.g. "2017-01-01", "-1days", "one hour ago"', "1970-01-01")
    .option("--to <time>", 'end of the time range (inclusive), e.g. "2017-01-01" or "now"', "now")
    .addOption(
      new Option("--format <format>", 'output: a {"Records": [...]} document (json) or one record per line (jsonl)')
        .choices(["json", "jsonl"] as const).default("json" as const),
    )
    .addOption(
      new Option("--workers <n>", "parallel Web Workers that read and filter files (0: none; at most 256)")
        .argParser(workerCount("--workers")).default(navigator.hardwareConcurrency, "the number of cores"),
    )
    .option("--use-cloudtrail-api", "query the CloudTrail LookupEvents API instead of --log-dir", false)
    .addOption(
      new Option("--region <region>", "with --use-cloudtrail-api: region to query (repeatable)").argParser(collect)
        .default([] as string[], "AWS_REGION or the profile's region, else us-east-1"),
    )
    .option("--profile <name>", "with --use-cloudtrail-api: AWS profile (default: AWS_PROFILE)")
    .option(
      "--endpoint-url <url>",
      "with --use-cloudtrail-api: endpoint (default: AWS_ENDPOINT_URL_CLOUDTRAIL)",
      endpointUrl,
    )
    .addHelpText("after", SELECT_HELP)
    .action(async ({ useCloudtrailApi, ...given }) => {
      await restrict(useCloudtrailApi ? "select --use-cloudtrail-api" : "select");
      const { timeRange } = await import("../runtime/time_option.ts");
      const { roleFilters } = await import("./role_filters.ts");
      timeRange(given, io.clock.now()); // --from after --to is a usage error on either path
      const options = { ...given, filterAssumedRoleArn: await roleFilters(given.filterAssumedRoleArn, io) };
      if (useCloudtrailApi) {
        const { runSelectApi } = await import("../commands/select_api.ts");
        await runSelectApi({ ...options, verbose: verbose() }, io);
      } else {
        const { runSelect } = await import("../commands/select.ts");
        await runSelect({ ...options, verbose: verbose() }, io);
      }
    });
}

/** The help text after `changes`'s options. */
const CHANGES_HELP = `
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
  trailscraper changes --from "20 minutes ago" --region eu-west-1 --format json`;

/** `changes`: what changed before an alert. */
export function defineChanges(program: AnyCommand, { io, verbose, restrict }: CommandContext): void {
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
    .addOption(withChoices(
      new Option("--category <id>", "only this category (repeatable)")
        .argParser(collectChoice("--category", CATEGORY_CHOICES)).default([] as string[], "all"),
      CATEGORY_CHOICES,
    ))
    .addOption(
      new Option("--actor <arn>", "only changes by this role, user or session ARN (repeatable; trimmed)")
        .argParser(collect).default([] as string[], "anyone"),
    )
    .addOption(
      new Option("--resource <id>", "only changes of this resource id or name, e.g. sg-0abc (repeatable; trimmed)")
        .argParser(collect).default([] as string[], "all write events"),
    )
    .option("--no-failed", "leave out failed attempts (AccessDenied, ...), which are shown by default")
    .option(
      "--max-events <n>",
      "at most this many changes, the newest (default: AWS_CLOUDTRAIL_MAX_EVENTS, else 50)",
    )
    .addOption(
      new Option("--per-category <n>", "changes listed per category in the report, then +N more").default("5", "5"),
    )
    .addOption(
      new Option("--format <format>", "report format").choices(["markdown", "text", "json"] as const)
        .default("markdown" as const),
    )
    .option("--best-effort", "report failures inside the output and exit 0 (for incident pipelines)", false)
    .option("--log-dir <dir>", "read downloaded logs or the sync archive instead of the CloudTrail API")
    .addOption(
      new Option("--workers <n>", "with --log-dir: parallel Web Workers (0: none; at most 256)")
        .argParser(workerCount("--workers")).default(navigator.hardwareConcurrency, "the number of cores"),
    )
    .option("--profile <name>", "AWS profile (default: AWS_PROFILE)")
    .option("--endpoint-url <url>", "CloudTrail endpoint (default: AWS_ENDPOINT_URL_CLOUDTRAIL)", endpointUrl)
    .addHelpText("after", CHANGES_HELP)
    .action(async (options) => {
      await restrict(options.logDir === undefined ? "changes" : "changes --log-dir");
      const { runChanges } = await import("../commands/changes.ts");
      await runChanges({ ...options, verbose: verbose() }, io);
    });
}

/** `mcp`: the answers as MCP tools. */
export function defineMcp(program: AnyCommand, { io, verbose, restrict }: CommandContext): void {
  program.command("mcp")
    .description("Serve the answers of changes, select and generate as MCP tools over stdio, for AI agents.")
    .addOption(
      new Option("--allow-aws-read", "allow read-only AWS calls")
        .default(false, "off; on when TRAILSCRAPER_MCP_ALLOW_AWS_READ=true"),
    )
    .option(
      "--region-allowlist <regions>",
      "comma-separated regions tools may query (default: TRAILSCRAPER_REGION_ALLOWLIST)",
    )
    .option("--log-dir <dir>", "answer from local logs or the sync archive instead of AWS")
    .option("--profile <name>", "AWS profile (default: AWS_PROFILE)")
    .option("--endpoint-url <url>", "CloudTrail endpoint (default: AWS_ENDPOINT_URL_CLOUDTRAIL)", endpointUrl)
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
}

/** `last-event-timestamp`: the newest event in the log dir. */
export function defineLastEventTimestamp(program: AnyCommand, { io, verbose, restrict }: CommandContext): void {
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
}
