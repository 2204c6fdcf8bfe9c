/** `select --use-cloudtrail-api`: records from CloudTrail LookupEvents, same filters and output as local select. */
import { SourceError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { Progress } from "../cli/progress.ts";
import { timeOption } from "../cli/time_option.ts";
import { selectEventPage } from "../core/event_page_selector.ts";
import { breakdown, countInto, total } from "../output/counts.ts";
import { RecordsWriter } from "../output/records_writer.ts";
import { describeAwsError, isCredentialsError } from "../sources/aws_errors.ts";
import { awsClientSettings } from "../sources/aws_options.ts";
import { configuredRegion, createCloudTrailClient, lookupEventPages } from "../sources/cloudtrail_api.ts";
import { NO_RECORDS_WARNING, type SelectOptions } from "./select.ts";

/** Options of `select --use-cloudtrail-api`. */
export interface SelectApiOptions extends SelectOptions {
  region: string[];
  profile?: string | undefined;
  endpointUrl?: string | undefined;
}

const NINETY_DAYS = 90 * 86_400_000;

/** Queries every region concurrently and streams matching records as pages arrive. */
export async function runSelectApi(options: SelectApiOptions, io: Io, now = Date.now()): Promise<void> {
  const from = timeOption("--from", options.from, now);
  const to = timeOption("--to", options.to, now);
  const settings = awsClientSettings(options, io.env, "CLOUDTRAIL");
  let regions = options.region;
  if (regions.length === 0) {
    const probe = await createCloudTrailClient(settings, undefined);
    const region = await configuredRegion(probe);
    probe.destroy();
    if (!region) {
      throw new SourceError(
        "no AWS region configured for the CloudTrail API: pass --region (repeatable), or set AWS_REGION or a region in your AWS profile",
      );
    }
    regions = [region];
  }
  if (from < now - NINETY_DAYS) {
    await io.stderr.write(
      "note: the CloudTrail API only holds the last 90 days of management events (no data events); use download and select for older logs\n",
    );
  }

  const writer = new RecordsWriter(io.stdout, options.format);
  const filter = { from, to, roleArns: options.filterAssumedRoleArn };
  const counts = { pages: 0, events: 0, throttled: 0, skipped: {} as Record<string, number>, failedRegions: 0 };
  const progress = new Progress(io, "select");
  const started = Date.now();
  const controller = new AbortController();

  await Promise.all(regions.map(async (region) => {
    const client = await createCloudTrailClient(settings, region);
    try {
      const pages = lookupEventPages(client, {
        start: from,
        end: to,
        signal: controller.signal,
        onThrottle: () => void counts.throttled++,
      });
      for await (const events of pages) {
        counts.pages++;
        counts.events += events.length;
        const page = selectEventPage(events, filter, options.format);
        for (const [issue, n] of Object.entries(page.skipped)) countInto(counts.skipped, issue, n);
        await writer.add(page.records);
        const rate = counts.events / Math.max((Date.now() - started) / 1000, 0.001);
        await progress.update(
          `${counts.pages} pages, ${counts.events} events (${rate.toFixed(0)}/s), ${writer.count} matched`,
        );
      }
    } catch (error) {
      const message = describeAwsError(error, {
        doing: `looking up events in ${region}`,
        permission: "cloudtrail:LookupEvents",
        resource: "* (LookupEvents takes no resource)",
      });
      if (isCredentialsError(error)) {
        controller.abort();
        throw new SourceError(message, { cause: error });
      }
      counts.failedRegions++;
      await io.stderr.write(`warning: ${message}\n`);
    } finally {
      client.destroy();
    }
  }));

  await writer.end();
  await progress.done();
  if (writer.count === 0) await io.stderr.write(NO_RECORDS_WARNING + "\n");
  const skipped = total(counts.skipped);
  await io.stderr.write(
    `select: ${regions.length} region${
      regions.length === 1 ? "" : "s"
    }, ${counts.pages} pages, ${counts.events} events` +
      (skipped ? `, ${skipped} skipped (${breakdown(counts.skipped)})` : "") +
      (counts.throttled ? `, throttled ${counts.throttled} times` : "") + `; ${writer.count} records matched\n`,
  );
  if (counts.failedRegions > 0) throw new SourceError(`${counts.failedRegions} of ${regions.length} regions failed`);
}
