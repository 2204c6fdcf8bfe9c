/** The commands that bring logs in: `download`, `sync` and `sync init`. */
import { Option } from "@commander-js/extra-typings";
import type { AnyCommand, CommandContext } from "./command_context.ts";
import { DEFAULT_LOG_DIR } from "../runtime/log_dir_option.ts";
import { addHiddenAlias } from "./option_alias.ts";
import { collect, endpointUrl, positiveInt, workerCount } from "./option_parsers.ts";

/** The default archive folder of `sync` (config: events_dir). */
const SYNC_DEFAULT_DIR = "events";

/** The help text after `download`'s options. */
const DOWNLOAD_HELP = `
Downloads <prefix>AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/ for every
UTC day the range touches to <log-dir>/<key>. Files already there with the size S3
reports are skipped; every file is written to a temporary name and renamed when
complete, so an interrupted run leaves no partial file and a rerun completes the set.
Credentials come from the AWS SDK default chain (environment, profiles, SSO,
assume-role, credential_process). Needs s3:ListBucket and s3:GetObject (and
kms:Decrypt for SSE-KMS buckets).

Example:
  trailscraper download --bucket my-trail-bucket --account-id 111122223333 \\
    --region us-east-1 --region eu-west-1 --from "two days ago"`;

/** `download`: log files from S3 into the log dir. */
export function defineDownload(program: AnyCommand, { io, verbose, restrict }: CommandContext): void {
  const download = program.command("download")
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
    .option("--with-digests", "also copy the digests and their signatures, for validate --log-dir", false)
    .option("--wait", "after downloading, wait until the logs hold an event after --to", false)
    .addOption(
      new Option("--wait-interval <seconds>", "with --wait: seconds between attempts (at most 86400, a day)")
        .argParser(positiveInt("--wait-interval", 1, 86_400)).default(60),
    )
    .addOption(
      new Option("--wait-timeout <seconds>", "with --wait: give up (exit 1) after this many seconds").argParser(
        positiveInt("--wait-timeout", 1),
      ).default(1800),
    )
    .addOption(
      new Option("--downloads <n>", "S3 downloads in flight").argParser(positiveInt("--downloads", 1)).default(10),
    )
    .option("--profile <name>", "AWS profile (default: AWS_PROFILE, then the default chain)")
    .option(
      "--endpoint-url <url>",
      "S3 endpoint (default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, then AWS)",
      endpointUrl,
    )
    .addHelpText("after", DOWNLOAD_HELP)
    .action(async ({ downloads, ...options }) => {
      await restrict("download");
      const { runDownload } = await import("../commands/download.ts");
      await runDownload({ ...options, parallelism: downloads, verbose: verbose() }, io);
    });
  addHiddenAlias(download, new Option("--parallelism <n>").argParser(positiveInt("--parallelism", 1)), "--downloads");
}

/** The help text after `sync`'s options. */
const SYNC_HELP = `
Finds every account and region of each trail by S3 delimiter listings (account and
organization layouts, every page), lists only what is new since the last run, GETs
files in parallel, parses them in Web Workers and appends each record once (exact
de-duplication by eventID, across trails and runs) to
  <events-dir>/account=<id>/region=<region>/date=<YYYY-MM-DD>/part-<n>.jsonl
A file counts as done only after its events are fsynced; a killed run is cut back
to its last commit on the next start and resumes with nothing lost or duplicated.
Failed files (corrupt, gone, denied) are recorded and retried on the next run.
One run at a time per state DB and per events dir (a second exits 1 at once). A
state DB that is lost while the archive stays is refused (exit 2); --rebuild-state
rebuilds it from the archive's part files. Relative paths in a config file are
relative to its folder.
Needs s3:ListBucket and s3:GetObject (kms:Decrypt for SSE-KMS).

Examples:
  trailscraper sync init sync.jsonc && trailscraper sync --config sync.jsonc
  trailscraper sync --bucket my-trail-bucket --events-dir events
  trailscraper select --log-dir events --filter-assumed-role-arn ARN | trailscraper generate`;

/** What `sync --dry-run` does. */
const DRY_RUN_TEXT =
  "print the account/region folders found and how many files each would fetch; fetch and change nothing";

/** `sync` and `sync init`: the de-duplicated archive. */
export function defineSync(program: AnyCommand, { io, verbose, restrict }: CommandContext): void {
  const sync = program.command("sync")
    .description("Sync CloudTrail logs from S3 into a de-duplicated, partitioned JSON Lines archive that resumes.")
    .option("--config <file>", "gocloudtrail-style config (JSON with comments); `sync init` writes one")
    .option("--bucket <name>", "sync this one trail bucket instead of the config's trails")
    .option("--prefix <prefix>", "with --bucket: key prefix before AWSLogs/")
    .option("--trail-name <name>", "with --bucket: the trail's name in the state (default: the bucket)")
    .option("--events-dir <dir>", `archive folder (config: events_dir) (default: "${SYNC_DEFAULT_DIR}")`)
    .option("--state-db <file>", `SQLite state (config: state_db) (default: "state.db")`)
    .addOption(
      new Option("--downloads <n>", "S3 downloads in flight (config: download_workers) (default: 50)")
        .argParser(positiveInt("--downloads", 1)),
    )
    .addOption(
      new Option(
        "--workers <n>",
        "parallel Web Workers that parse files, at most 256 (config: process_workers) (default: 0, the number of cores)",
      ).argParser(workerCount("--workers")),
    )
    .option("--in-thread", "parse in the main thread instead of Web Workers (one isolate; for measuring)", false)
    .addOption(
      new Option("--list-batch-size <n>", "keys per S3 LIST page (config: list_batch_size) (default: 1000)")
        .argParser(positiveInt("--list-batch-size", 1)),
    )
    .addOption(
      new Option("--events-per-file <n>", "lines per part file (config: events_per_file) (default: 10000)")
        .argParser(positiveInt("--events-per-file", 1)),
    )
    .addOption(
      new Option(
        "--progress-interval <seconds>",
        "seconds between progress lines (config: progress_interval) (default: 10)",
      )
        .argParser(positiveInt("--progress-interval", 1)),
    )
    .addOption(
      new Option("--compress <kind>", 'gzip writes part-<n>.jsonl.gz (config: compress) (default: "none")')
        .choices(["none", "gzip"] as const),
    )
    .option("--validate", "afterwards, validate the archived files' digests; states go to the state DB", false)
    .option("--dry-run", DRY_RUN_TEXT, false)
    .option(
      "--rebuild-state",
      "rebuild the state DB from the archive's part files (after the state was lost), then sync",
      false,
    )
    .option("--profile <name>", "AWS profile (default: AWS_PROFILE)")
    .option("--endpoint-url <url>", "S3 endpoint (default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL)", endpointUrl)
    .addHelpText("after", SYNC_HELP)
    .action(async ({ downloads, workers, ...options }) => {
      await restrict("sync");
      const { runSync } = await import("../commands/sync.ts");
      await runSync({ ...options, downloadWorkers: downloads, processWorkers: workers, verbose: verbose() }, io);
    });
  addSyncAliases(sync);
  defineSyncInit(sync, { io, verbose, restrict });
}

/** The old names of `sync`'s options, hidden from the help. */
function addSyncAliases(sync: AnyCommand): void {
  addHiddenAlias(
    sync,
    new Option("--download-workers <n>").argParser(positiveInt("--download-workers", 1)),
    "--downloads",
  );
  addHiddenAlias(sync, new Option("--process-workers <n>").argParser(workerCount("--process-workers")), "--workers");
}

/** `sync init`: a config for every trail DescribeTrails finds. */
function defineSyncInit(sync: AnyCommand, { io, verbose, restrict }: CommandContext): void {
  sync.command("init")
    .description("Write a sync config for every trail DescribeTrails finds in the enabled regions.")
    .argument("[file]", "where to write it", "sync.jsonc")
    .addOption(
      new Option("--region <region>", "ask only this region (repeatable)").argParser(collect)
        .default([] as string[], "every region of the aws partition; regions not enabled are skipped"),
    )
    .option("--force", "overwrite an existing file", false)
    // Also sync's options (commander hands them to the parent): listed here so the help shows them.
    .option("--profile <name>", "AWS profile (default: AWS_PROFILE)")
    .option("--endpoint-url <url>", "CloudTrail endpoint (default: AWS_ENDPOINT_URL_CLOUDTRAIL)")
    .addHelpText(
      "after",
      `
Shadow copies of multi-region trails and organization trails are listed once (by
TrailARN); trails that write to the same bucket and prefix become one entry.
Needs cloudtrail:DescribeTrails.`,
    )
    .action(async (file, options, command) => {
      const { profile, endpointUrl } = command.optsWithGlobals() as { profile?: string; endpointUrl?: string };
      await restrict("sync init");
      const { runSyncInit } = await import("../commands/sync_init.ts");
      await runSyncInit(file, { ...options, profile, endpointUrl, verbose: verbose() }, io);
    });
}
