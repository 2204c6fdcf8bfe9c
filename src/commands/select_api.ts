/** `select --use-cloudtrail-api`: records from CloudTrail LookupEvents, same filters and output as local select. */
import { SourceError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { Progress } from "../cli/progress.ts";
import { RecordsWriter } from "../cli/records_writer.ts";
import { timeOption } from "../cli/time_option.ts";
import { isCredentialsError } from "../core/aws_errors.ts";
import { countInto } from "../core/counts.ts";
import { type ApiCounts, selectApiSummary } from "../output/select_summary.ts";
import { awsClientSettings } from "../sources/aws_options.ts";
import {
  configuredRegion,
  createCloudTrailClient,
  describeLookupFailure,
  eventPageInput,
  lookupEventPages,
} from "../sources/cloudtrail_api.ts";
import type { RecordInput } from "../sources/record_input.ts";
import { runStep } from "../sources/step_pool.ts";
import { BAD_LINE } from "../steps/select_step.ts";
import { NO_RECORDS_WARNING, type SelectOptions } from "./select.ts";

/** Options of `select --use-cloudtrail-api`. */
export interface SelectApiOptions extends SelectOptions {
  region: string[];
  profile?: string | undefined;
  endpointUrl?: string | undefined;
}

/** How far back LookupEvents reaches. */
const NINETY_DAYS = 90 * 86_400_000;
/** How the select step's unparseable line is counted for an API page. */
const UNPARSEABLE_EVENT = "unparseable CloudTrailEvent";

/** Queries every region concurrently and streams matching records as pages arrive. */
export async function runSelectApi(options: SelectApiOptions, io: Io): Promise<void> {
  const now = io.clock.now();
  const from = timeOption("--from", options.from, now);
  const to = timeOption("--to", options.to, now);
  const settings = awsClientSettings(options, io.env, "CLOUDTRAIL");
  const regions = options.region.length > 0 ? options.region : [await defaultRegion(settings)];
  if (from < now - NINETY_DAYS) {
    await io.stderr.write(
      "note: the CloudTrail API only holds the last 90 days of management events (no data events); use download and select for older logs\n",
    );
  }

  const writer = new RecordsWriter(io.stdout, options.format);
  const params = { filter: { from, to, roleArns: options.filterAssumedRoleArn }, format: options.format };
  const counts: ApiCounts = { regions: regions.length, pages: 0, events: 0, throttled: 0, skipped: {} };
  let failedRegions = 0;
  const progress = new Progress(io, "select");
  const started = io.clock.now();
  const controller = new AbortController();

  await Promise.all(regions.map(async (region) => {
    const client = await createCloudTrailClient(settings, region);
    const pages = lookupEventPages(client, {
      start: from,
      end: to,
      signal: controller.signal,
      clock: io.clock,
      onThrottle: () => void counts.throttled++,
    });
    async function* inputs(): AsyncGenerator<RecordInput> {
      for await (const events of pages) {
        counts.pages++;
        counts.events += events.length;
        const blank = events.filter((e) => e.trim() === "").length;
        if (blank) countInto(counts.skipped, UNPARSEABLE_EVENT, blank);
        yield eventPageInput(events, `LookupEvents ${region} page ${counts.pages}`);
      }
    }
    try {
      for await (const { result } of runStep(inputs(), { step: "select", params, workers: 0 })) {
        if (!result.ok) continue; // a lines document always parses: unparseable events are counted below
        for (const [issue, n] of Object.entries(result.skipped)) {
          countInto(counts.skipped, issue === BAD_LINE ? UNPARSEABLE_EVENT : issue, n);
        }
        await writer.addEncoded(result.out.bytes, result.out.matched);
        const rate = counts.events / Math.max((io.clock.now() - started) / 1000, 0.001);
        await progress.update(
          `${counts.pages} pages, ${counts.events} events (${rate.toFixed(0)}/s), ${writer.count} matched`,
        );
      }
    } catch (error) {
      const message = describeLookupFailure(error, region);
      if (isCredentialsError(error)) {
        controller.abort();
        throw new SourceError(message, { cause: error });
      }
      failedRegions++;
      await io.stderr.write(`warning: ${message}\n`);
    } finally {
      client.destroy();
    }
  }));

  await writer.end();
  await progress.done();
  if (writer.count === 0) await io.stderr.write(NO_RECORDS_WARNING + "\n");
  await io.stderr.write(selectApiSummary(counts, writer.count) + "\n");
  if (failedRegions > 0) throw new SourceError(`${failedRegions} of ${regions.length} regions failed`);
}

/** The region of the SDK's chain (AWS_REGION, the profile), or a SourceError that says how to set one. */
async function defaultRegion(settings: Parameters<typeof createCloudTrailClient>[0]): Promise<string> {
  const probe = await createCloudTrailClient(settings, undefined);
  try {
    const region = await configuredRegion(probe);
    if (region) return region;
  } catch (e) {
    throw new SourceError(`cannot read the AWS configuration: ${e instanceof Error ? e.message : e}`, { cause: e });
  } finally {
    probe.destroy();
  }
  throw new SourceError(
    "no AWS region configured for the CloudTrail API: pass --region (repeatable), or set AWS_REGION or a region in your AWS profile",
  );
}
