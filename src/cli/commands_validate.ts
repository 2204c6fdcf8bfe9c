/** `validate`: CloudTrail's digest chain and signatures, over S3 or a local copy. */
import { Option } from "@commander-js/extra-typings";
import type { AnyCommand, CommandContext } from "./command_context.ts";
import { DEFAULT_LOG_DIR } from "../runtime/log_dir_option.ts";
import { collect, endpointUrl, positiveInt } from "./option_parsers.ts";

/** The permission set of a validate run (see command_permissions.ts). */
function permissionKey(options: { bucket?: string; publicKeys: string[] }): string {
  if (options.bucket) return "validate";
  return options.publicKeys.length > 0 ? "validate --log-dir --public-keys" : "validate --log-dir";
}

/** The help text after `validate`'s options. */
const VALIDATE_HELP = `
Reads the digests that end in [--from, --to + 1 hour] of every account and region
(<prefix>AWSLogs/[<org-id>/]<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/),
checks each digest's SHA256withRSA signature (S3 metadata, or the sidecar that
download --with-digests writes) with CloudTrail's public key and its link to the
previous digest, then the SHA-256 of every log file the digests name. Each file
ends in one state: valid, awaiting-digest (delivered after the newest digest, less
than 2 hours before the run: its digest is not due yet), modified, deleted,
not-covered (delivered in the range, named by no valid digest), signature-invalid
or chain-broken. Exit 1 when any is neither valid nor awaiting its digest; the
summary says when to run again for those that await. Needs s3:ListBucket and
s3:GetObject with --bucket, and cloudtrail:ListPublicKeys unless --public-keys is
given.

Examples:
  trailscraper validate --bucket my-trail-bucket --account-id 111122223333 \\
    --region eu-west-1 --from "two days ago" --format json
  aws cloudtrail list-public-keys --region eu-west-1 > keys.json
  trailscraper validate --log-dir logs --public-keys keys.json --from 2024-03-01`;

/** `validate`: every log file and digest of the range ends in one state. */
export function defineValidate(program: AnyCommand, { io, verbose, restrict }: CommandContext): void {
  program.command("validate")
    .description("Prove the logs were not changed: CloudTrail's digest chain and signatures, from S3 or offline.")
    .option("--bucket <name>", "validate this S3 bucket (default: the local copy in --log-dir)")
    .option("--prefix <prefix>", "key prefix before AWSLogs/ (a trailing slash is added if missing)", "")
    .addOption(
      new Option("--org-id <id>", "organization ID, for organization trails (repeatable)").argParser(collect)
        .default([] as string[], "none: account trails"),
    )
    .addOption(
      new Option("--account-id <id>", "account to validate (repeatable; required with --bucket)").argParser(collect)
        .default([] as string[], "with --log-dir: every account found"),
    )
    .addOption(
      new Option("--region <region>", "region to validate (repeatable; required with --bucket)").argParser(collect)
        .default([] as string[], "with --log-dir: every region found"),
    )
    .option("--log-dir <dir>", "the local copy (download --with-digests) to validate offline", DEFAULT_LOG_DIR)
    .option("--from <time>", 'start of the delivery range, e.g. "2017-01-01", "-1days"', "one day ago")
    .option("--to <time>", 'end of the delivery range, e.g. "2017-01-01" or "now"', "now")
    .addOption(
      new Option("--public-keys <file>", "ListPublicKeys JSON to use instead of asking CloudTrail (repeatable)")
        .argParser(collect).default([] as string[], "ListPublicKeys of each region"),
    )
    .addOption(
      new Option("--format <format>", "stdout: files not valid, one per line (text), or every file (json)")
        .choices(["text", "json"] as const).default("text" as const),
    )
    .addOption(
      new Option("--parallelism <n>", "files to read at once").argParser(positiveInt("--parallelism", 1)).default(10),
    )
    .option("--profile <name>", "AWS profile (default: AWS_PROFILE, then the default chain)")
    .option(
      "--endpoint-url <url>",
      "S3 endpoint (default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, then AWS)",
      endpointUrl,
    )
    .addHelpText("after", VALIDATE_HELP)
    .action(async (options) => {
      await restrict(permissionKey(options));
      const { runValidate } = await import("../commands/validate.ts");
      await runValidate({ ...options, verbose: verbose() }, io);
    });
}
