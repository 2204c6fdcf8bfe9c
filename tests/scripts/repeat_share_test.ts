import assert from "node:assert/strict";

const script = new URL("../../scripts/repeat_share.ts", import.meta.url).pathname;
const config = new URL("../../deno.dev.json", import.meta.url).pathname;

Deno.test("repeat_share.ts counts the records read as repeats, per resource mode", async () => {
  const record = (bucket: string, i: number) =>
    JSON.stringify({
      eventVersion: "1.09",
      eventID: `e${i}`,
      eventSource: "s3.amazonaws.com",
      eventName: "GetObject",
      requestParameters: { bucketName: bucket },
    });
  // 3,000 records: the same call on 3 buckets; in the default mode (which does not read the bucket) all but one repeat...
  const records = Array.from({ length: 3000 }, (_, i) => record(`b${i % 3}`, i));
  const path = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(path, `{"Records": [${records.join(", ")}]}\n`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, "--allow-read", script, path],
  })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  // The last record is the document's tail (streamed, not scanned).
  assert.match(text, /^default: 2999 records scanned, 2998 repeats \(100\.0%\)$/m);
  // ... and 2,996 with --resources, which reads it (3 distinct records).
  assert.match(text, /^precise: 2999 records scanned, 2996 repeats \(99\.9%\)$/m);
  await Deno.remove(path);
});
