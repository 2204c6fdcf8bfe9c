/** `sync init`: a config for every trail DescribeTrails finds in the enabled regions. */
import { InputError, SourceError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import regionTable from "../../data/aws_regions.json" with { type: "json" };
import { awsErrorCode, describeAwsError, isFatalAwsError } from "../core/aws/aws_errors.ts";
import { renderSyncConfig } from "../core/sync/sync_config.ts";
import { type DescribedTrail, trailsToSync } from "../core/sync/trail_list.ts";
import { awsClientSettings } from "../sources/aws_options.ts";
import { createCloudTrailClient } from "../sources/cloudtrail_api.ts";
import { mapConcurrent } from "../sources/concurrent_map.ts";
import { writeFileAtomic } from "../sources/atomic_file.ts";

/** Options of `sync init`. */
export interface SyncInitOptions {
  region: string[];
  force: boolean;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  verbose: boolean;
}

/** Regions asked at once. */
const REGIONS_IN_FLIGHT = 8;
/** What a region that is not enabled for the account answers. */
const NOT_ENABLED = new Set(["UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure", "OptInRequired"]);

/** Writes the config to `file`; refuses to overwrite one without --force. */
export async function runSyncInit(file: string, options: SyncInitOptions, io: Io): Promise<void> {
  if (!options.force) {
    const exists = await Deno.lstat(file).then(() => true, (e) => {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    });
    if (exists) throw new InputError(`"${file}" exists; pass --force to overwrite it`);
  }
  const regions = options.region.length > 0 ? options.region : regionTable.regions;
  const settings = await awsClientSettings(options, io.env, "CLOUDTRAIL", regions[0] ?? "us-east-1");
  const { DescribeTrailsCommand } = await import("@aws-sdk/client-cloudtrail");
  const described: DescribedTrail[] = [];
  let skipped = 0;
  const ask = async (region: string) => {
    const client = await createCloudTrailClient(settings, region);
    try {
      const answer = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
      described.push(...(answer.trailList ?? []));
    } catch (error) {
      if (isFatalAwsError(error)) {
        throw new SourceError(describeAwsError(error, { ...context(region), endpoint: settings.endpoint }), {
          cause: error,
        });
      }
      if (NOT_ENABLED.has(awsErrorCode(error) ?? "")) {
        skipped++;
        if (options.verbose) await io.stderr.write(`note: ${region} is not enabled for this account\n`);
        return;
      }
      throw new SourceError(describeAwsError(error, { ...context(region), endpoint: settings.endpoint }), {
        cause: error,
      });
    } finally {
      client.destroy();
    }
  };
  for await (const _ of mapConcurrent(toIterable(regions), REGIONS_IN_FLIGHT, ask)) { /* each region answered */ }
  const trails = trailsToSync(described);
  if (trails.length === 0) throw new SourceError(`no trail with an S3 bucket in ${regions.length - skipped} regions`);
  await writeFileAtomic(file, renderSyncConfig(trails));
  await io.stderr.write(
    `sync init: ${trails.length} trail${trails.length === 1 ? "" : "s"} from ${regions.length - skipped} regions` +
      `${skipped ? ` (${skipped} not enabled)` : ""} written to ${file}\n`,
  );
}

function context(region: string) {
  return {
    doing: `describing the trails in ${region}`,
    permission: "cloudtrail:DescribeTrails",
    resource: "* (or the trails' ARNs)",
  };
}

async function* toIterable<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
