/// <reference lib="deno.worker" />
/** Worker side of scripts/bench_download_workers.ts: downloads its share of keys with the real download code. */
import { join } from "node:path";
import { awsClientSettings } from "../src/sources/aws_options.ts";
import { forEachConcurrent } from "../src/sources/concurrency.ts";
import { createS3Client, downloadObject, type S3Object } from "../src/sources/s3_objects.ts";
import { systemClock } from "../src/sources/system_clock.ts";

/** The environment the benchmark's clients are given (the process's own is never changed). */
const BENCH_ENV: Record<string, string> = { AWS_ACCESS_KEY_ID: "AKIABENCH", AWS_SECRET_ACCESS_KEY: "bench" };

/** The share of one worker. */
export interface WorkerShare {
  endpoint: string;
  objects: S3Object[];
  dir: string;
  parallelism: number;
}

/** Downloads `share.objects` with `share.parallelism` in flight; returns the bytes. */
export async function downloadShare(share: WorkerShare): Promise<number> {
  const client = await createS3Client(
    await awsClientSettings({ endpointUrl: share.endpoint }, (k) => BENCH_ENV[k], "S3", "us-east-1"),
  );
  const signal = new AbortController().signal;
  let bytes = 0;
  async function* items() {
    yield* share.objects;
  }
  await forEachConcurrent(items(), share.parallelism, async (o) => {
    const n = await downloadObject(client, "trail-logs", { ...o, target: join(share.dir, o.key) }, {
      signal,
      clock: systemClock,
    });
    bytes += n;
  });
  client.destroy();
  return bytes;
}

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  self.onmessage = async (event: MessageEvent<WorkerShare>) => self.postMessage(await downloadShare(event.data));
}
