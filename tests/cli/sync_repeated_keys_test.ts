/** Listings that repeat keys (a store's paging bug, one trail named twice): each key fetched once, nothing lost. */
import { TEST_AWS_ENV } from "../helpers/aws_env.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../helpers/fake_io.ts";
import { type Fault, startS3Peer } from "../helpers/s3_peer.ts";
import { makeSyncBucket, readArchive, SYNC_BUCKET, syncArgs } from "../helpers/sync_bucket.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;
const gets = (requests: string[]) => requests.filter((q) => q.startsWith("GET") && !q.includes("list-type"));

/**
 * A store that repeats a key: every page after the first starts with the last key of the page before (fauxqs 2.4.1
 * was seen doing this when StartAfter and ContinuationToken were combined; other S3-compatible stores have had such
 * bugs). The repeat is injected here so the test does not depend on when a peer's bug shows.
 */
function repeatLastKeyOfPreviousPage(upstream: () => string): Fault {
  const lastOfPage = new Map<string, string>();
  return async (request, url) => {
    if (!url.searchParams.has("list-type") || url.searchParams.has("delimiter")) return undefined;
    const headers = new Headers(request.headers);
    headers.delete("host");
    const answer = await fetch(upstream() + url.pathname + url.search, { headers });
    let xml = await answer.text();
    const prefix = url.searchParams.get("prefix") ?? "";
    const contents = xml.match(/<Contents>.*?<\/Contents>/gs) ?? [];
    const previous = lastOfPage.get(prefix);
    if (url.searchParams.has("continuation-token") && previous) {
      xml = xml.replace("<Contents>", previous + "<Contents>");
    }
    if (contents.length > 0) lastOfPage.set(prefix, contents.at(-1)!);
    return new Response(xml, { status: answer.status, headers: { "content-type": "application/xml" } });
  };
}

Deno.test("sync: killed (SIGKILL) in a day folder of many listing pages, resumed against a store that repeats keys: every event once", async () => {
  const bucket = await makeSyncBucket({ filesPerDay: 12, recordsPerFile: 10 });
  let upstream = "";
  // Each GET of the first run held back 300 ms (2 in flight, 243 files: ~36 s), so the run outlasts its first
  // progress line (1 s) on any machine and the kill lands mid-run; the resumed run is not held back.
  let holdMs = 300;
  const peer = await startS3Peer({ fault: repeatLastKeyOfPreviousPage(() => upstream), holdBodyMs: () => holdMs });
  upstream = peer.upstream;
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    const dir = await Deno.makeTempDir();
    const config = join(dir, "sync.jsonc");
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        list_batch_size: 3, // a day folder of 12 keys takes 4 pages
        download_workers: 2,
        process_workers: 1,
        progress_interval: 1,
        trails: [{ bucket: SYNC_BUCKET }, { bucket: SYNC_BUCKET, prefix: "other/" }],
      }),
    );
    const args = syncArgs(["--config", config], dir, peer.endpoint);
    // The first run is killed once its progress shows committed files.
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--allow-all", main, ...args],
      env: { NO_COLOR: "1", ...TEST_AWS_ENV },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let seen = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      seen += chunk;
      if (/^sync: [1-9][\d,]* files/m.test(seen)) {
        child.kill("SIGKILL");
        break;
      }
    }
    const killed = await child.status;
    assert.equal(killed.signal, "SIGKILL", seen);
    const partial = (await readArchive(join(dir, "events"), { tolerant: true })).keys.length;
    assert.ok(partial > 0 && partial < bucket.keys.size, `${partial} of ${bucket.keys.size}`);
    peer.requests.length = 0;
    holdMs = 0;
    const resumed = await runCli(args);
    assert.equal(resumed.code, 1, resumed.stderr); // the corrupt file, nothing else
    assert.doesNotMatch(resumed.stderr, /TypeError/);
    assert.match(resumed.stderr, /, [1-9]\d* listed again \(passed over\);/);
    const fetched = gets(peer.requests).map((q) => q.split("?")[0]);
    assert.equal(fetched.length, new Set(fetched).size, "each key fetched at most once");
    const archive = await readArchive(join(dir, "events"));
    assert.equal(archive.keys.length, new Set(archive.keys).size, "no event twice");
    assert.deepEqual(new Set(archive.keys), bucket.keys, "no event lost");
  } finally {
    await peer.stop();
  }
});

Deno.test("sync: one trail named twice in a config is synced once, with a note; each key fetched once", async () => {
  const bucket = await makeSyncBucket({ filesPerDay: 2 });
  const peer = await startS3Peer({ fault: () => undefined });
  try {
    await peer.upload(SYNC_BUCKET, bucket.root);
    const dir = await Deno.makeTempDir();
    const config = join(dir, "sync.jsonc");
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        trails: [
          { name: "a", bucket: SYNC_BUCKET },
          { name: "other", bucket: SYNC_BUCKET, prefix: "other" },
          { name: "b", bucket: SYNC_BUCKET, prefix: "" },
          { name: "other-again", bucket: SYNC_BUCKET, prefix: "other/" },
        ],
      }),
    );
    const r = await runCli(syncArgs(["--config", config], dir, peer.endpoint));
    assert.equal(r.code, 1, r.stderr); // the corrupt file
    assert.match(r.stderr, /^note: trails "a" and "b" both read s3:\/\/trail-logs\/: it is synced once\n/);
    assert.match(
      r.stderr,
      /\nnote: trails "other" and "other-again" both read s3:\/\/trail-logs\/other\/: it is synced once\n/,
    );
    const fetched = gets(peer.requests).map((q) => q.split("?")[0]);
    assert.equal(fetched.length, new Set(fetched).size, "each key fetched at most once");
    const archive = await readArchive(join(dir, "events"));
    assert.equal(archive.keys.length, bucket.keys.size);
    assert.deepEqual(new Set(archive.keys), bucket.keys);
  } finally {
    await peer.stop();
  }
});
