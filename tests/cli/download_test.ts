import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { generateCorpus } from "../../scripts/gen_corpus.ts";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";
import { type Fault, s3Error, startS3Peer } from "../helpers/s3_peer.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";
import { NO_CREDENTIALS_ENV } from "../helpers/aws_env.ts";

const BUCKET = "trail-logs";
const ACCOUNTS = ["111122223333", "444455556666"];
const REGIONS = ["us-east-1", "eu-west-1"];

function downloadArgs(endpoint: string, logDir: string, ...extra: string[]): string[] {
  return [
    "download",
    "--bucket",
    BUCKET,
    ...ACCOUNTS.flatMap((a) => ["--account-id", a]),
    ...REGIONS.flatMap((r) => ["--region", r]),
    "--from",
    "2024-03-01",
    "--to",
    "2024-03-02T23:59:59Z",
    "--log-dir",
    logDir,
    "--endpoint-url",
    endpoint,
    ...extra,
  ];
}

async function localFiles(root: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else out.set(path.slice(root.length + 1), (await Deno.stat(path)).size);
    }
  };
  await walk(root).catch(() => {});
  return out;
}

Deno.test("download: org trail, accounts, regions and days mirror the bucket; digests and other files stay", async () => {
  const source = await Deno.makeTempDir();
  const files = generateCorpus(source, {
    orgId: "o-abc",
    days: 2,
    filesPerDay: 3,
    recordsPerFile: 5,
    accounts: ACCOUNTS,
    regions: REGIONS,
  });
  const peer = await startS3Peer({ fault: () => undefined });
  try {
    await peer.upload(BUCKET, source);
    const logDir = await Deno.makeTempDir();
    const r = await runCli(downloadArgs(peer.endpoint, logDir, "--org-id", "o-abc"));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    const expected = files.filter((f) => f.kind === "log" || f.kind === "late" || f.kind === "corrupt")
      .filter((f) => !f.path.includes("/overlap/"));
    const local = await localFiles(logDir);
    assert.deepEqual(
      [...local.keys()].sort(),
      expected.map((f) => f.path.slice(source.length + 1)).sort(),
    );
    for (const f of expected) assert.equal(local.get(f.path.slice(source.length + 1)), Deno.statSync(f.path).size);
    // One listing per day folder (2 orgs x accounts x regions x days = 8 here), nothing above them.
    const lists = peer.requests.filter((q) => q.includes("list-type=2"));
    assert.equal(lists.length, 8);
    assert.ok(
      lists.every((q) => /prefix=AWSLogs%2Fo-abc%2F\d+%2FCloudTrail%2F[a-z0-9-]+%2F2024%2F03%2F0[12]%2F/.test(q)),
      lists[0],
    );
    assert.match(
      r.stderr,
      /^download: 30 log files listed \(8 LIST calls\), 30 downloaded \(0\.\d MB\), 0 already there, 0 failed in [\d.]+ s\n$/,
    );
    // select reads what download wrote.
    const selected = await runCli(["select", "--log-dir", logDir, "--from", "2024-02-29", "--to", "2024-03-03"]);
    assert.equal(selected.code, 0, selected.stderr);
    assert.ok(JSON.parse(selected.stdout).Records.length > 100);
  } finally {
    await peer.stop();
  }
});

Deno.test("download: a prefix without a trailing slash gets one, with a note", async () => {
  const source = await Deno.makeTempDir();
  writeLog(source, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:55:00Z")]);
  const peer = await startS3Peer();
  try {
    await peer.upload(BUCKET, source, "trails/");
    const logDir = await Deno.makeTempDir();
    const r = await runCli(downloadArgs(peer.endpoint, logDir, "--prefix", "trails"));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^note: --prefix "trails" has no trailing slash; using "trails\/"\n/);
    assert.deepEqual([...(await localFiles(logDir)).keys()], [
      `trails/${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`,
    ]);
  } finally {
    await peer.stop();
  }
});

Deno.test("download: more than 1,000 keys in one day folder are all listed (pagination)", async () => {
  const source = await Deno.makeTempDir();
  const folder = dayDir("2024-03-01", "111122223333", "us-east-1");
  for (let i = 0; i < 1030; i++) {
    const stamp = `20240301T${String(Math.floor(i / 60) % 24).padStart(2, "0")}${String(i % 60).padStart(2, "0")}Z`;
    writeLog(source, `${folder}/${logName(stamp, `f${i}`, "111122223333", "us-east-1")}`, []);
  }
  const peer = await startS3Peer({ fault: () => undefined });
  try {
    await peer.upload(BUCKET, source);
    const logDir = await Deno.makeTempDir();
    const r = await runCli(downloadArgs(peer.endpoint, logDir, "--parallelism", "50"));
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await localFiles(logDir)).size, 1030);
    assert.match(r.stderr, /1030 log files listed \(9 LIST calls\), 1030 downloaded/); // 2 pages + 7 empty folders
  } finally {
    await peer.stop();
  }
});

Deno.test("download: files already there are skipped, a truncated one is downloaded again", async () => {
  const source = await Deno.makeTempDir();
  const name = `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`;
  const other = `${dayDir("2024-03-01")}/${logName("20240301T1100Z", "b")}`;
  writeLog(source, name, [record("2024-03-01T09:55:00Z")]);
  writeLog(source, other, [record("2024-03-01T10:55:00Z")]);
  const peer = await startS3Peer({ fault: () => undefined });
  try {
    await peer.upload(BUCKET, source);
    const logDir = await Deno.makeTempDir();
    await runCli(downloadArgs(peer.endpoint, logDir));
    const full = await Deno.readFile(`${logDir}/${name}`);
    await Deno.writeFile(`${logDir}/${name}`, full.subarray(0, 10)); // truncated
    const before = peer.requests.length;
    const r = await runCli(downloadArgs(peer.endpoint, logDir));
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /2 log files listed \(\d+ LIST calls\), 1 downloaded \(0\.0 MB\), 1 already there, 0 failed/,
    );
    assert.deepEqual(await Deno.readFile(`${logDir}/${name}`), full);
    // No HEAD requests, and only one GET: the truncated file.
    const gets = peer.requests.slice(before).filter((q) => q.startsWith("GET") && !q.includes("list-type"));
    assert.deepEqual(gets, [`GET /${BUCKET}/${name}?x-id=GetObject`]);
    assert.ok(!peer.requests.some((q) => q.startsWith("HEAD")));
  } finally {
    await peer.stop();
  }
});

Deno.test("download: throttling (SlowDown), 500s and broken bodies are retried until the files arrive", async () => {
  const source = await Deno.makeTempDir();
  for (let i = 0; i < 6; i++) {
    writeLog(source, `${dayDir("2024-03-01")}/${logName(`20240301T10${i}0Z`, `t${i}`)}`, [
      record("2024-03-01T09:55:00Z"),
    ]);
  }
  const attempts = new Map<string, number>();
  const peer = await startS3Peer({
    fault: (request, url) => {
      if (request.method !== "GET") return undefined;
      const key = url.pathname + url.search;
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (url.search.includes("list-type")) {
        return n === 1 ? s3Error(503, "SlowDown", "Please reduce your request rate.") : undefined;
      }
      if (n === 1) return s3Error(503, "SlowDown", "Please reduce your request rate.");
      if (n === 2) return s3Error(500, "InternalError", "We encountered an internal error.");
      if (n === 3) {
        // Headers promise 100 bytes, the body breaks off after 5.
        const body = new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array(5));
            c.error(new Error("connection reset"));
          },
        });
        return new Response(body, { status: 200, headers: { "content-length": "100" } });
      }
      return undefined;
    },
  });
  try {
    await peer.upload(BUCKET, source);
    const logDir = await Deno.makeTempDir();
    const r = await runCli(downloadArgs(peer.endpoint, logDir, "--parallelism", "3"), { clock: new VirtualClock() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /6 log files listed \(\d+ LIST calls\), 6 downloaded/);
    const local = await localFiles(logDir);
    assert.equal(local.size, 6);
    for (const [path, size] of local) assert.equal(size, Deno.statSync(`${source}/${path}`).size, path);
  } finally {
    await peer.stop();
  }
});

Deno.test("download: NoSuchBucket is one line, exit 1", async () => {
  const peer = await startS3Peer();
  try {
    const logDir = await Deno.makeTempDir();
    const r = await runCli([
      "download",
      "--bucket",
      "no-such-bucket",
      "--account-id",
      "111122223333",
      "--region",
      "us-east-1",
      "--log-dir",
      logDir,
      "--endpoint-url",
      peer.endpoint,
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^error: listing s3:\/\/no-such-bucket\/AWSLogs\/111122223333\/CloudTrail\/us-east-1\/\d{4}\/\d\d\/\d\d\/: the bucket does not exist \(NoSuchBucket\)\n$/,
    );
  } finally {
    await peer.stop();
  }
});

Deno.test("download: access denied names s3:ListBucket, s3:GetObject and kms:Decrypt", async () => {
  const source = await Deno.makeTempDir();
  writeLog(source, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:55:00Z")]);
  writeLog(source, `${dayDir("2024-03-01")}/${logName("20240301T1100Z", "kms")}`, [record("2024-03-01T10:55:00Z")]);
  let denyList = true;
  const peer = await startS3Peer({
    fault: (request, url) => {
      if (request.method !== "GET") return undefined;
      if (url.search.includes("list-type")) return denyList ? s3Error(403, "AccessDenied", "Access Denied") : undefined;
      if (url.pathname.includes("_kms.json.gz")) {
        return s3Error(403, "AccessDenied", "User is not authorized to perform: kms:Decrypt on the resource");
      }
      return s3Error(403, "AccessDenied", "Access Denied");
    },
  });
  try {
    await peer.upload(BUCKET, source);
    const logDir = await Deno.makeTempDir();
    const list = await runCli(downloadArgs(peer.endpoint, logDir));
    assert.equal(list.code, 1);
    assert.match(
      list.stderr,
      /warning: access denied while listing s3:\/\/trail-logs\/AWSLogs\/111122223333\/CloudTrail\/us-east-1\/2024\/03\/01\/: the caller needs s3:ListBucket on arn:aws:s3:::trail-logs \(prefix AWSLogs\//,
    );
    // The listing failed, not a download: say so, in the summary and the error (never "1 of 0 log files").
    assert.match(
      list.stderr,
      /\ndownload: 0 log files listed \(0 LIST calls\), .* 0 failed, (\d+) of \1 folders could not be listed in /,
    );
    assert.match(
      list.stderr,
      /\nerror: (\d+) of \1 S3 folders could not be listed, so their log files are missing \(see the warnings\)\n$/,
    );
    assert.doesNotMatch(list.stderr, /of 0 log files/);
    denyList = false;
    const get = await runCli(downloadArgs(peer.endpoint, logDir));
    assert.equal(get.code, 1);
    assert.match(
      get.stderr,
      /access denied while downloading s3:\/\/trail-logs\/.*_a1\.json\.gz: the caller needs s3:GetObject on arn:aws:s3:::trail-logs\/AWSLogs\/.*_a1\.json\.gz\n/,
    );
    assert.match(
      get.stderr,
      /_kms\.json\.gz: the caller needs s3:GetObject on .* and kms:Decrypt on the bucket's KMS key \(SSE-KMS\)\n/,
    );
    assert.match(get.stderr, /error: 2 of 2 log files could not be downloaded\n$/);
    assert.equal((await localFiles(logDir)).size, 0);
  } finally {
    await peer.stop();
  }
});

Deno.test("download: missing credentials are one clear line", async () => {
  const peer = await startS3Peer();
  try {
    const logDir = await Deno.makeTempDir();
    const r = await runCli(downloadArgs(peer.endpoint, logDir), { env: NO_CREDENTIALS_ENV });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: no AWS credentials found while listing s3:\/\/trail-logs\/.*: set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    assert.equal(r.stderr.split("\n").length, 2);
  } finally {
    await peer.stop();
  }
});

Deno.test("download: the UTC days of a range that crosses midnight are both listed", async () => {
  const source = await Deno.makeTempDir();
  writeLog(source, `${dayDir("2024-03-01")}/${logName("20240301T2350Z", "late")}`, [record("2024-03-01T23:45:00Z")]);
  writeLog(source, `${dayDir("2024-03-02")}/${logName("20240302T0010Z", "early")}`, [record("2024-03-02T00:05:00Z")]);
  const peer = await startS3Peer();
  try {
    await peer.upload(BUCKET, source);
    const logDir = await Deno.makeTempDir();
    const r = await runCli([
      ...downloadArgs(peer.endpoint, logDir).slice(0, -8),
      "--from",
      "2024-03-01T23:30:00Z",
      "--to",
      "2024-03-02T00:20:00Z",
      "--log-dir",
      logDir,
      "--endpoint-url",
      peer.endpoint,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await localFiles(logDir)).size, 2);
  } finally {
    await peer.stop();
  }
});

Deno.test("download --wait: downloads again until an event after --to arrives, and times out otherwise", async () => {
  const source = await Deno.makeTempDir();
  writeLog(source, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:55:00Z")]);
  const peer = await startS3Peer();
  try {
    await peer.upload(BUCKET, source);
    const logDir = await Deno.makeTempDir();
    const args = [
      ...downloadArgs(peer.endpoint, logDir).slice(0, -8),
      "--from",
      "2024-03-01T09:00:00Z",
      "--to",
      "2024-03-01T10:00:00Z",
      "--log-dir",
      logDir,
      "--endpoint-url",
      peer.endpoint,
      "--wait",
      "--wait-interval",
      "1",
    ];
    // A newer file arrives while download waits (virtual time: the wait takes no real second).
    const late = gzipSync(new TextEncoder().encode(JSON.stringify({ Records: [record("2024-03-01T10:02:00Z")] })));
    const clock = new VirtualClock(Date.UTC(2024, 2, 1, 10, 30));
    clock.onSleep = async (ms) => {
      if (ms !== 1000) return;
      clock.onSleep = undefined;
      await peer.client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `${dayDir("2024-03-01")}/${logName("20240301T1005Z", "new")}`,
          Body: late,
        }),
      );
    };
    const r = await runCli([...args, "--wait-timeout", "30"], { clock });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(clock.sleeps, [1000]);
    assert.match(
      r.stderr,
      /CloudTrail logs haven't caught up to 2024-03-01 10:00:00\+00:00 yet\. Most recent timestamp: 2024-03-01 09:55:00\+00:00\. Trying again in 1 s\.\n/,
    );
    assert.match(r.stderr, /1 downloaded \(0\.0 MB\), 1 already there, 0 failed in [\d.]+ s\n$/);
    const timeout = await runCli([
      ...args.map((a) => (a === "2024-03-01T10:00:00Z" ? "2024-03-01T11:00:00Z" : a)),
      "--wait-timeout",
      "1",
    ], { clock: new VirtualClock() });
    assert.equal(timeout.code, 1);
    assert.match(
      timeout.stderr,
      /error: gave up waiting after 1 s: the newest event is 2024-03-01 10:02:00\+00:00, not after 2024-03-01 11:00:00\+00:00\n$/,
    );
  } finally {
    await peer.stop();
  }
});

Deno.test("download: progress with MB/s and ETA on a terminal only, then the summary", async () => {
  const source = await Deno.makeTempDir();
  for (let i = 0; i < 3; i++) {
    writeLog(source, `${dayDir("2024-03-01")}/${logName(`20240301T10${i}0Z`, `p${i}`)}`, [
      record("2024-03-01T09:55:00Z"),
    ]);
  }
  const peer = await startS3Peer();
  try {
    await peer.upload(BUCKET, source);
    const tty = await runCli(downloadArgs(peer.endpoint, await Deno.makeTempDir()), { stderrIsTerminal: true });
    assert.equal(tty.code, 0, tty.stderr);
    assert.match(
      tty.stderr,
      // deno-lint-ignore no-control-regex
      /^\r\x1b\[2Kdownload: 1 downloaded, 0 already there, 0 failed, 0\.0 MB, [\d.]+ MB\/s, (listing|ETA \d+ s)/,
    );
    // deno-lint-ignore no-control-regex
    assert.match(tty.stderr, /\r\x1b\[2Kdownload: 3 log files listed/);
    const pipe = await runCli(downloadArgs(peer.endpoint, await Deno.makeTempDir()));
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(pipe.stderr, /\x1b/);
  } finally {
    await peer.stop();
  }
});

Deno.test("download: a bucket in another region is found from S3's redirect, not assumed", async () => {
  const source = await Deno.makeTempDir();
  writeLog(source, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:55:00Z")]);
  const signedFor: string[] = [];
  const peer = await startS3Peer({
    fault: (request) => {
      const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
      signedFor.push(region);
      if (region === "eu-central-1") return undefined;
      const response = s3Error(
        301,
        "PermanentRedirect",
        "The bucket you are attempting to access must be addressed using the specified endpoint.",
      );
      response.headers.set("x-amz-bucket-region", "eu-central-1");
      return response;
    },
  });
  try {
    await peer.upload(BUCKET, source);
    const logDir = await Deno.makeTempDir();
    const r = await runCli(downloadArgs(peer.endpoint, logDir)); // AWS_REGION is us-east-1
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await localFiles(logDir)).size, 1);
    assert.equal(signedFor[0], "us-east-1");
    assert.ok(signedFor.includes("eu-central-1"));
  } finally {
    await peer.stop();
  }
});

Deno.test("download: keys with '..', '.', empty segments, backslashes or NUL are skipped, named and counted; nothing lands outside --log-dir", async () => {
  const folder = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01";
  const name = logName("20240301T1000Z", "a1", "111122223333", "us-east-1");
  const hostile = [
    `${folder}/../../../../../../../../tmp/x/${name}`, // the key of issue 18
    `${folder}/./${name}`,
    `${folder}//${name}`,
    `${folder}/..\\..\\..\\x/${name}`, // a separator on Windows
    `${folder}/a\0b/${name}`,
  ];
  const body = gzipSync(new TextEncoder().encode(JSON.stringify({ Records: [record("2024-03-01T09:55:00Z")] })));
  const peer = await startS3Peer();
  try {
    await peer.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const key of [...hostile, `${folder}/${name}`, `${folder}/we\x1b[2Jird/${name}`]) {
      await peer.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    }
    const base = await Deno.makeTempDir();
    const logDir = `${base}/logs`;
    const r = await runCli(downloadArgs(peer.endpoint, logDir, "--verbose"));
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual([...Deno.readDirSync(base)].map((e) => e.name), ["logs"]);
    assert.deepEqual([...(await localFiles(logDir)).keys()].sort(), [
      `${folder}/${name}`,
      `${folder}/we\x1b[2Jird/${name}`,
    ]);
    for (const why of [`a ".." segment`, `a "." segment`, "an empty segment", "a backslash", "a NUL character"]) {
      assert.match(r.stderr, new RegExp(`warning: skipped s3://${BUCKET}/${folder}/\\S+: the key has ${why}\\b`));
    }
    assert.ok(r.stderr.includes(`/a\\x00b/${name}: the key has a NUL character`), r.stderr);
    assert.ok(r.stderr.includes(`/we\\x1b[2Jird/${name}\n`), r.stderr);
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(r.stderr, /[\x00\x1b]/);
    assert.match(
      r.stderr,
      /7 log files listed \(\d+ LIST calls\), 2 downloaded \(0\.0 MB\), 0 already there, 5 failed/,
    );
    assert.match(r.stderr, /\nerror: 5 of 7 log files could not be downloaded\n/);
  } finally {
    await peer.stop();
  }
});

Deno.test("download: a --prefix that would lead outside --log-dir is a usage error, before any request", async () => {
  const logDir = await Deno.makeTempDir();
  const r = await runCli(downloadArgs("http://127.0.0.1:9", logDir, "--prefix", "../../escape/"));
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /^error: key prefix "\.\.\/\.\.\/escape\/AWSLogs\/\S+" cannot be a folder below --log-dir: it has a "\.\." segment\n/,
  );
  assert.deepEqual([...Deno.readDirSync(logDir)], []);
});

/** A store whose listing names every key twice (a paging bug, a proxy that retries a page into the body). */
function listingTwice(upstream: () => string): Fault {
  return async (request, url) => {
    if (!url.searchParams.has("list-type")) return undefined;
    const headers = new Headers(request.headers);
    headers.delete("host");
    const answer = await fetch(upstream() + url.pathname + url.search, { headers });
    const xml = (await answer.text()).replace(/<Contents>.*?<\/Contents>/gs, (entry) => entry + entry);
    return new Response(xml, { status: answer.status, headers: { "content-type": "application/xml" } });
  };
}

Deno.test("download: a listing that repeats keys fetches each file once and counts the repeats", async () => {
  const folder = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01";
  const keys = [0, 1, 2].map((i) => `${folder}/${logName(`20240301T100${i}Z`, `a${i}`, "111122223333", "us-east-1")}`);
  const body = gzipSync(new TextEncoder().encode(JSON.stringify({ Records: [record("2024-03-01T09:55:00Z")] })));
  let upstream = "";
  const peer = await startS3Peer({ fault: listingTwice(() => upstream) });
  upstream = peer.upstream;
  try {
    await peer.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const key of keys) await peer.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    const logDir = await Deno.makeTempDir();
    // An account and a region given twice name the same folders: each is listed once.
    const twice = ["--region", "us-east-1", "--account-id", "111122223333"];
    const r = await runCli(downloadArgs(peer.endpoint, logDir, ...twice));
    assert.equal(r.code, 0, r.stderr);
    const lists = peer.requests.filter((q) => q.includes("list-type")).map((q) =>
      new URL(q.split(" ")[1]!, "http://h")
    );
    const prefixes = lists.map((u) => u.searchParams.get("prefix"));
    assert.equal(prefixes.length, 2 * 2 * 2, "2 accounts, 2 regions, 2 days");
    assert.equal(new Set(prefixes).size, prefixes.length, prefixes.join("\n"));
    const gets = peer.requests.filter((q) => q.startsWith("GET") && !q.includes("list-type"));
    assert.deepEqual(gets.map((q) => q.slice(q.indexOf(folder)).split("?")[0]).sort(), keys);
    assert.deepEqual([...(await localFiles(logDir)).keys()].sort(), keys);
    assert.match(
      r.stderr,
      /download: 3 log files listed \(\d+ LIST calls\), 3 downloaded \(0\.0 MB\), 0 already there, 3 listed again \(passed over\), 0 failed in/,
    );
  } finally {
    await peer.stop();
  }
});
