/** Issue 18 item 7: NUL and control characters from records, keys and file names never reach stderr raw. */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";

// deno-lint-ignore no-control-regex
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/; // all but the newline that ends each line
const EVIL = "\x1b]0;pwned\x07\x1b[2J\0\r\u202e";
const ESCAPED = "\\x1b]0;pwned\\x07\\x1b[2J\\x00\\r\\u202e";

Deno.test("generate: an event name, role and event type with control characters are escaped on stderr", async () => {
  const role = `arn:aws:iam::111122223333:role/x$&${EVIL}`; // `$&`: no replacement pattern either
  const records = [
    {
      ...record("2024-03-01T10:00:00Z", role, `Describe${EVIL}Things`),
      resources: [{ ARN: `arn:aws:ec2:::x${EVIL}` }],
    },
    { ...record("2024-03-01T10:00:00Z", role, "DescribeInstances"), eventType: `Aws${EVIL}Event` },
  ];
  const stdin = JSON.stringify({ Records: records });
  for (const args of [["generate", "--check"], ["generate", "--per-principal", "--check"]]) {
    const r = await runCli(args, { stdin });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, RAW_CONTROL, JSON.stringify(r.stderr));
    assert.ok(r.stderr.includes(`warning: "ec2:Describe${ESCAPED}Things" is not in the IAM data`), r.stderr);
    assert.ok(r.stderr.includes(`ec2:Describe${ESCAPED}Things`), r.stderr);
    if (args.includes("--per-principal")) {
      assert.ok(r.stderr.includes(`generate: arn:aws:iam::111122223333:role/x$&${ESCAPED}: 2 records -> `), r.stderr);
    }
    // The policy on stdout is data: JSON escapes what JSON must, the rest is the record's own.
    assert.ok(r.stdout.includes("Describe\\u001b]0;pwned\\u0007"), r.stdout);
  }
});

Deno.test("check: actions and resources with control characters are escaped in the text report", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/policy.json`,
    JSON.stringify({ Statement: [{ Effect: "Allow", Action: `ec2:Run${EVIL}`, Resource: "*" }] }),
  );
  const stdin = JSON.stringify({ Records: [record("2024-03-01T10:00:00Z", undefined, `Stop${EVIL}`)] });
  const r = await runCli(["check", "--policy", `${dir}/policy.json`], { stdin });
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, RAW_CONTROL, JSON.stringify(r.stdout + r.stderr));
  assert.ok(r.stdout.includes(`ec2:Stop${ESCAPED} on *`), r.stdout);
  assert.ok(r.stdout.includes(`ec2:Run${ESCAPED}`), r.stdout);
  const missing = await runCli(["check", "--policy", `${dir}/no${EVIL}.json`], { stdin });
  assert.equal(missing.code, 1);
  assert.doesNotMatch(missing.stderr, RAW_CONTROL, JSON.stringify(missing.stderr));
  assert.ok(missing.stderr.includes(`no${ESCAPED}.json`), missing.stderr);
});

Deno.test("select and last-event-timestamp: a folder name with control characters is escaped in warnings", async () => {
  const dir = await Deno.makeTempDir();
  const evil = EVIL.replace("\0", ""); // a file name cannot hold NUL
  const escaped = ESCAPED.replace("\\x00", "");
  const folder = `${dir}/${dayDir("2024-03-01")}/x${evil}`;
  Deno.mkdirSync(folder, { recursive: true });
  Deno.writeTextFileSync(`${folder}/${logName("20240301T1000Z")}`, "not gzip");
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1005Z", "b")}`, [record("2024-03-01T09:55:00Z")]);
  Deno.writeTextFileSync(`${folder}/notes${evil}.txt`, "x");
  for (const args of [["--verbose", "select", "--log-dir", dir], ["last-event-timestamp", "--log-dir", dir]]) {
    const r = await runCli(args);
    assert.doesNotMatch(r.stderr, RAW_CONTROL, JSON.stringify(r.stderr));
    assert.ok(r.stderr.includes(`/x${escaped}/${logName("20240301T1000Z")}": not gzip data`), r.stderr);
  }
});

/** A change (TerminateInstances) whose resource, actor, region and error code carry control characters. */
function evilChange(): Record<string, unknown> {
  return {
    ...record("2024-03-01T10:00:00Z", undefined, "TerminateInstances"),
    eventSource: "ec2.amazonaws.com",
    awsRegion: `eu-west-1${EVIL}`,
    errorCode: `Client.${EVIL}`,
    userIdentity: { type: "IAMUser", userName: `bob${EVIL}`, arn: `arn:aws:iam::111122223333:user/bob${EVIL}` },
    resources: [{ ARN: `arn:aws:ec2:eu-west-1:111122223333:instance/i-${EVIL}` }],
  };
}

Deno.test("select: the roles named when the filter matched nothing are escaped (the record chose them)", async () => {
  const dir = await Deno.makeTempDir();
  const role = `arn:aws:iam::111122223333:role/x${EVIL}\u2028y`;
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z")}`, [record("2024-03-01T09:55:00Z", role)]);
  const r = await runCli([
    "select",
    "--log-dir",
    dir,
    "--filter-assumed-role-arn",
    "arn:aws:iam::111122223333:role/other",
    "--from",
    "2024-03-01",
    "--to",
    "2024-03-01T10:00Z",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, RAW_CONTROL, JSON.stringify(r.stderr));
  assert.doesNotMatch(r.stderr, /\u2028/);
  assert.ok(
    r.stderr.includes(
      `roles that appear in the log files of the time range: arn:aws:iam::111122223333:role/x${ESCAPED}\\u2028y (1)\n`,
    ),
    r.stderr,
  );
});

Deno.test("download: the folder names the bucket holds instead, named when nothing was found, are escaped", async () => {
  const peer = await startS3Peer();
  try {
    await peer.client.send(new CreateBucketCommand({ Bucket: "hostile-bucket" }));
    // No NUL (fauxqs refuses it) and no CR (XML reads it as a newline).
    const evil = EVIL.replace("\0", "").replace("\r", "");
    await peer.client.send(new PutObjectCommand({ Bucket: "hostile-bucket", Key: `AWSLogs/x${evil}/f`, Body: "x" }));
    const logDir = await Deno.makeTempDir();
    const r = await runCli([
      "download",
      "--bucket",
      "hostile-bucket",
      "--account-id",
      "111122223333",
      "--region",
      "us-east-1",
      "--from",
      "2024-03-01",
      "--to",
      "2024-03-01T23:00Z",
      "--log-dir",
      logDir,
      "--endpoint-url",
      peer.endpoint,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, RAW_CONTROL, JSON.stringify(r.stderr));
    const escaped = ESCAPED.replace("\\x00", "").replace("\\r", "");
    assert.ok(r.stderr.includes(`/AWSLogs/ holds "x${escaped}/"; check`), r.stderr);
  } finally {
    await peer.stop();
  }
});

Deno.test("changes: resources, actors, regions and error codes with control characters are escaped in Markdown and text", async () => {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1005Z")}`, [evilChange()]);
  const window = ["--from", "2024-03-01T09:50Z", "--to", "2024-03-01T10:10Z"];
  for (const format of ["markdown", "text"]) {
    const r = await runCli(["changes", "--log-dir", dir, "--format", format, ...window]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL, JSON.stringify(r.stdout));
    assert.ok(r.stdout.includes(`instance/i-${ESCAPED}`), r.stdout);
    assert.ok(r.stdout.includes(`user/bob${ESCAPED}`), r.stdout);
    assert.ok(r.stdout.includes(`Client.${ESCAPED}`), r.stdout);
  }
  // JSON is data: JSON escapes control characters itself, and the values stay the record's own.
  const json = await runCli(["changes", "--log-dir", dir, "--format", "json", ...window]);
  assert.equal(JSON.parse(json.stdout).events[0].actor.name, `user/bob${EVIL}`);
});

Deno.test("select --use-cloudtrail-api: an endpoint's error message with control characters is escaped", async () => {
  const peer = startCloudTrailPeer({ events: {}, failWith: { type: "WeirdException", message: `boom${EVIL}` } });
  try {
    const r = await runCli([
      "select",
      "--use-cloudtrail-api",
      "--region",
      "eu-west-1",
      "--endpoint-url",
      peer.endpoint,
      "--from",
      "2024-03-01",
      "--to",
      "2024-03-02",
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, RAW_CONTROL, JSON.stringify(r.stderr));
    assert.ok(r.stderr.includes(`boom${ESCAPED}`), r.stderr);
  } finally {
    await peer.stop();
  }
});

Deno.test("mcp: tool error texts escape control characters from the endpoint and the arguments", async () => {
  const peer = startCloudTrailPeer({ events: {}, failWith: { type: "WeirdException", message: `boom${EVIL}` } });
  const transport = new StdioClientTransport(
    {
      command: Deno.execPath(),
      args: ["run", "--quiet", "--allow-all", new URL("../../main.ts", import.meta.url).pathname, "mcp"],
      env: {
        AWS_ACCESS_KEY_ID: "AKIATEST",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_REGION: "eu-west-1",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL: peer.endpoint,
        TRAILSCRAPER_MCP_ALLOW_AWS_READ: "true",
      },
      stderr: "pipe",
    } as ConstructorParameters<typeof StdioClientTransport>[0],
  );
  const client = new Client({ name: "trailscraper-test", version: "1" });
  await client.connect(transport);
  try {
    type Answer = { content: { text: string }[]; isError?: boolean };
    const call = (name: string, args: Record<string, unknown>) =>
      client.callTool({ name, arguments: args }) as Promise<Answer>;
    const answers = [
      await call("cloudtrail_events", { from: "2024-03-01", to: "2024-03-02" }),
      await call("cloudtrail_changes", { from: "2024-03-01", to: "2024-03-02" }),
      await call("cloudtrail_events", { from: `x${EVIL}` }),
      await call("cloudtrail_changes", { to: `x${EVIL}` }),
    ];
    for (const answer of answers) {
      assert.equal(answer.isError, true, JSON.stringify(answer));
      assert.doesNotMatch(answer.content[0]!.text, RAW_CONTROL, JSON.stringify(answer));
      assert.ok(answer.content[0]!.text.includes(ESCAPED), JSON.stringify(answer));
    }
  } finally {
    await client.close();
    await peer.stop();
  }
});
