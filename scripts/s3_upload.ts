/** Fills a test or benchmark S3 bucket from a local tree (the reverse of `download`). */
import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { relative } from "node:path";

async function* filesBelow(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* filesBelow(path);
    else if (e.isFile) yield path;
  }
}

/** Creates `bucket` and uploads every file below `root` as `<prefix><path below root>`, 32 at a time; returns the keys, sorted. */
export async function uploadTree(client: S3Client, bucket: string, root: string, prefix = ""): Promise<string[]> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const paths: string[] = [];
  for await (const path of filesBelow(root)) paths.push(path);
  for (let i = 0; i < paths.length; i += 32) {
    await Promise.all(
      paths.slice(i, i + 32).map(async (path) =>
        client.send(
          new PutObjectCommand({ Bucket: bucket, Key: prefix + relative(root, path), Body: await Deno.readFile(path) }),
        )
      ),
    );
  }
  return paths.map((p) => prefix + relative(root, p)).sort();
}
