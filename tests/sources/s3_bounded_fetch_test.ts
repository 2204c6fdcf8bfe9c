/** Objects fetched into memory are read no further than a limit: by their length, or by the bytes that come. */
import assert from "node:assert/strict";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { fetchWithMetadata } from "../../src/sources/digest_store_s3.ts";
import { fetchObject, readUpTo } from "../../src/sources/s3_objects.ts";
import { systemClock } from "../../src/sources/system_clock.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";

Deno.test("fetchObject() and fetchWithMetadata(): an object past maxBytes comes back as its first bytes only", async () => {
  const s3 = await startS3Peer();
  try {
    await s3.client.send(new CreateBucketCommand({ Bucket: "trail-bucket" }));
    const body = new Uint8Array(5000).map((_, i) => i % 251);
    await s3.client.send(new PutObjectCommand({ Bucket: "trail-bucket", Key: "k", Body: body, Metadata: { a: "b" } }));
    const call = { signal: new AbortController().signal, clock: systemClock };
    assert.deepEqual(await fetchObject(s3.client, "trail-bucket", "k", { ...call, maxBytes: 5000 }), {
      over: false,
      bytes: body,
    });
    assert.deepEqual(await fetchObject(s3.client, "trail-bucket", "k", { ...call, maxBytes: 4999 }), {
      over: true,
      head: body.subarray(0, 2),
    });
    const got = await fetchWithMetadata(s3.client, "trail-bucket", "k", call, 100);
    assert.deepEqual(got, { read: { over: true, head: body.subarray(0, 2) }, metadata: { a: "b" } });
  } finally {
    await s3.stop();
  }
});

Deno.test("readUpTo(): a body that never ends (or sends more than its length said) is read one chunk past the limit", async () => {
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(65536).fill(0x20));
    },
  });
  assert.deepEqual(await readUpTo(endless, 1 << 20), { over: true, head: new Uint8Array([0x20, 0x20]) });
  assert.ok(pulled <= 18, `${pulled} chunks pulled`);
});
