/**
 * An S3 endpoint that pages in a circle (ListObjectsV2 answers every page with a continuation token it gave before) or
 * claims more pages without a token: the listing fails with a message that says so, instead of looping forever or
 * ending early without a word.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../helpers/fake_io.ts";

const LOG_KEY = "AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01/" +
  "111122223333_CloudTrail_eu-west-1_20240301T1000Z_a1.json.gz";

/** A ListObjectsV2 endpoint whose every page holds one key and is truncated with `token` (or none). */
function startLoopingS3(token: string | undefined) {
  let lists = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    if (new URL(request.url).searchParams.get("list-type") !== "2") return new Response("", { status: 404 });
    lists++;
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>trail-logs</Name><Prefix></Prefix>
<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>
${token ? `<NextContinuationToken>${token}</NextContinuationToken>` : ""}
<Contents><Key>${LOG_KEY}</Key><Size>10</Size><LastModified>2024-03-01T10:00:00.000Z</LastModified></Contents>
</ListBucketResult>`;
    return new Response(body, { headers: { "content-type": "application/xml" } });
  });
  return { endpoint: `http://127.0.0.1:${server.addr.port}`, lists: () => lists, stop: () => server.shutdown() };
}

async function download(endpoint: string) {
  const dir = await Deno.makeTempDir();
  const args = ["download", "--bucket", "trail-logs", "--account-id", "111122223333", "--region", "eu-west-1"];
  // Bounded in time: a listing that loops forever fails the test instead of hanging it.
  const run = runCli([
    ...args,
    "--log-dir",
    join(dir, "logs"),
    "--endpoint-url",
    endpoint,
    "--from",
    "2024-03-01T10:00Z",
    "--to",
    "2024-03-01T11:00Z",
  ]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the listing did not end within 20 s")), 20_000);
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("download: an S3 endpoint that returns a continuation token it gave before fails the listing, no loop", async () => {
  const s3 = startLoopingS3("same-token-forever");
  try {
    const r = await download(s3.endpoint);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /warning: listing s3:\/\/trail-logs\/AWSLogs\/\S+ failed: ListObjectsV2 returned a continuation token it had returned before\n/,
    );
    assert.ok(s3.lists() <= 10, `${s3.lists()} LIST requests`);
  } finally {
    await s3.stop();
  }
});

Deno.test("download: an S3 endpoint that says truncated but gives no continuation token fails the listing", async () => {
  const s3 = startLoopingS3(undefined);
  try {
    const r = await download(s3.endpoint);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /ListObjectsV2 said the listing is truncated but gave no continuation token/);
  } finally {
    await s3.stop();
  }
});
