// deno-lint-ignore-file no-console
/**
 * Proves offline what `deno compile` would ship: bundles main.ts into one module
 * graph in an empty temporary folder (no deno.json, no node_modules, no data/) and
 * runs it there with exactly the binary's permission flags.
 *
 * Run: deno task bundle-check
 */
import { WORKERS } from "./build_plan.ts";
import { buildBundle, type Bundle } from "./bundle_build.ts";
import { runCommand } from "./run_command.ts";

const root = new URL("..", import.meta.url).pathname;
const empty = await Deno.makeTempDir({ prefix: "trailscraper-run-" });
let failures = 0;

function deno(args: string[], options: { cwd: string; stdin?: string; env?: Record<string, string> }) {
  return runCommand(Deno.execPath(), args, { ...options, env: { NO_COLOR: "1", ...options.env } });
}

function check(name: string, ok: boolean, detail = "") {
  console.log(`${ok ? "ok" : "FAILED"} bundle: ${name}${ok ? "" : `\n${detail}`}`);
  if (!ok) failures++;
}

try {
  // Workers are entry points of their own: the bundler does not follow new Worker(new URL(...)).
  let bundle: Bundle | undefined;
  try {
    bundle = await buildBundle(empty);
    check(`deno bundle main.ts and ${WORKERS.join(", ")}`, true);
  } catch (e) {
    check(`deno bundle main.ts and ${WORKERS.join(", ")}`, false, String(e));
    throw e;
  }
  let size = 0;
  for await (const entry of Deno.readDir(empty)) size += (await Deno.stat(`${empty}/${entry.name}`)).size;
  console.log(`bundle size: ${(size / 1e6).toFixed(2)} MB`);
  const logs = await Deno.makeTempDir({ prefix: "trailscraper-logs-" });
  await new Deno.Command("cp", { args: ["-r", `${root}data/sample/logs/.`, logs] }).output();

  // The binary's flags (from the empty folder, so nothing of the project is found); `bare` runs with none at all.
  const run = (args: string[], stdin?: string, env?: Record<string, string>, bare = false) =>
    deno([...bundle!.runArgs({ bare }), ...args], {
      cwd: empty,
      ...(stdin === undefined ? {} : { stdin }),
      ...(env ? { env } : {}),
    });

  const help = await run(["--help"], undefined, undefined, true);
  check(
    "--help from an empty folder, no permission flags",
    help.code === 0 && help.stdout.includes("generate"),
    help.stderr,
  );

  const version = await run(["--version"], undefined, undefined, true);
  check(
    "--version names the IAM data, no permission flags",
    version.code === 0 && version.stdout.includes("IAM data:"),
    version.stderr,
  );

  const fixture = `${root}tests/fixtures/generate/trailscraper_special_cases`;
  const generate = await run(["generate"], await Deno.readTextFile(`${fixture}.records.json`), undefined, true);
  const expected = await Deno.readTextFile(`${fixture}.policy.json`);
  check(
    "generate on a fixture matches the golden policy, no permission flags",
    generate.code === 0 && generate.stdout === expected,
    generate.stderr || generate.stdout,
  );

  // Least privilege: with the binary's flags, generate keeps no permission and select keeps read and env.
  const dropped = await run(["--verbose", "generate"], await Deno.readTextFile(`${fixture}.records.json`));
  check(
    "generate with the binary's flags drops every permission before reading stdin",
    dropped.code === 0 && dropped.stdout === expected &&
      dropped.stderr.includes("permissions kept by generate: none\n"),
    dropped.stderr,
  );

  const guess = await run(["guess"], expected, undefined, true);
  check("guess on that policy, no permission flags", guess.code === 0 && guess.stdout.startsWith("{\n"), guess.stderr);

  const role = "arn:aws:iam::111122223333:role/ci-deploy";
  const selected = await run(["select", "--log-dir", logs, "--filter-assumed-role-arn", role]);
  const fromSource = await deno(
    ["run", "--quiet", "--allow-read", "main.ts", "select", "--log-dir", logs, "--filter-assumed-role-arn", role],
    { cwd: root },
  );
  check(
    "select with workers on the sample logs matches the source run",
    selected.code === 0 && selected.stdout.length > 100 && selected.stdout === fromSource.stdout,
    selected.stderr,
  );
  const keptBySelect = await run(["--verbose", "select", "--log-dir", logs, "--filter-assumed-role-arn", role]);
  check(
    "select with the binary's flags keeps read and env only, and still reads with workers",
    keptBySelect.stdout === selected.stdout && keptBySelect.stderr.includes("permissions kept by select: read, env\n"),
    keptBySelect.stderr,
  );
  const policy = await run(["generate"], selected.stdout);
  check("select | generate", policy.code === 0 && policy.stdout.includes("sts:AssumeRole"), policy.stderr);

  // generate in bulk on the worker pool, with the IAM resource table the workers load: the policy of this thread.
  const { synthRecords } = await import("./synth_records.ts");
  const many = JSON.stringify({ Records: [...synthRecords(3000, { seed: 3, calls: "wide" })] });
  const [inThread, pooled] = await Promise.all([
    run(["generate", "--resources", "precise"], many),
    run(["--verbose", "generate", "--resources", "precise", "--workers", "2"], many),
  ]);
  check(
    "generate --workers 2 --resources precise (4.8 MB): the worker pool gives the policy of this thread",
    inThread.code === 0 && pooled.code === 0 && pooled.stdout === inThread.stdout &&
      pooled.stderr.includes("permissions kept by generate: none\n") && inThread.stdout.includes("arn:aws:sqs:"),
    pooled.stderr || inThread.stderr,
  );

  // changes from the bundle, with workers, on the incident sample: the same report as from source.
  const incident = `${root}data/sample/incident`;
  const changesArgs = ["changes", "--log-dir", incident, "--from", "2024-03-01T10:00Z", "--to", "2024-03-01T10:15Z"];
  const changes = await run([...changesArgs, "--format", "json"]);
  const changesFromSource = await deno([
    "run",
    "--quiet",
    "--allow-read",
    "main.ts",
    ...changesArgs,
    "--format",
    "json",
  ], {
    cwd: root,
  });
  const events = (out: string) => JSON.stringify(JSON.parse(out || "{}").events);
  check(
    "changes --log-dir with workers on the incident sample matches the source run",
    changes.code === 0 && JSON.parse(changes.stdout).metadata.eventCount === 13 &&
      events(changes.stdout) === events(changesFromSource.stdout),
    changes.stderr,
  );

  // mcp from the bundle with the binary's flags, driven by the MCP SDK's stdio client.
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js");
  const mcp = new Client({ name: "bundle-check", version: "1" });
  await mcp.connect(
    new StdioClientTransport({
      command: Deno.execPath(),
      args: [...bundle.runArgs(), "mcp", "--log-dir", incident],
      cwd: empty,
      stderr: "pipe",
    }),
  );
  const tools = (await mcp.listTools()).tools.map((t: { name: string }) => t.name).sort().join(",");
  const answer = await mcp.callTool({
    name: "cloudtrail_changes",
    arguments: { from: "2024-03-01T10:00:00Z", to: "2024-03-01T10:15:00Z" },
  }) as { content: { text: string }[] };
  await mcp.close();
  check(
    "mcp over stdio: three tools, cloudtrail_changes on the incident sample",
    tools === "cloudtrail_changes,cloudtrail_events,generate_policy" &&
      JSON.parse(answer.content[1]?.text ?? "{}").metadata?.eventCount === 13,
    `${tools} ${JSON.stringify(answer).slice(0, 300)}`,
  );

  // download from the bundle, with the binary's flags, against a real S3 peer (fauxqs).
  const { startFauxqs } = await import("fauxqs");
  const { S3Client } = await import("@aws-sdk/client-s3");
  const { uploadTree } = await import("./s3_upload.ts");
  const s3 = await startFauxqs({ port: 0, host: "127.0.0.1", logger: false });
  const endpoint = `http://127.0.0.1:${s3.port}`;
  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test" },
  });
  const sampleKeys = await uploadTree(client, "trail-logs", logs);
  const downloaded = await Deno.makeTempDir({ prefix: "trailscraper-download-" });
  const download = await run(
    [
      "download",
      "--bucket",
      "trail-logs",
      "--org-id",
      "o-exampleorg",
      "--account-id",
      "111122223333",
      "--account-id",
      "444455556666",
      "--region",
      "us-east-1",
      "--region",
      "eu-west-1",
      "--from",
      "2024-03-01",
      "--to",
      "2024-03-01T23:59:59Z",
      "--log-dir",
      downloaded,
      "--endpoint-url",
      endpoint,
    ],
    undefined,
    { AWS_ACCESS_KEY_ID: "AKIATEST", AWS_SECRET_ACCESS_KEY: "test" },
  );
  check(
    `download from fauxqs (${sampleKeys.length} files)`,
    download.code === 0 && download.stderr.includes(`${sampleKeys.length} downloaded`),
    download.stderr,
  );
  // A hostile key (issue 18) from the bundle with the binary's flags: skipped and counted, nothing outside --log-dir.
  const { CreateBucketCommand, PutObjectCommand } = await import("@aws-sdk/client-s3");
  await client.send(new CreateBucketCommand({ Bucket: "hostile-logs" }));
  const day = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01";
  await client.send(
    new PutObjectCommand({
      Bucket: "hostile-logs",
      Key: `${day}/../../../../../../../../tmp/x/111122223333_CloudTrail_us-east-1_20240301T1000Z_a1.json.gz`,
      Body: "x",
    }),
  );
  const hostileBase = await Deno.makeTempDir({ prefix: "trailscraper-hostile-" });
  const hostile = await run(
    [
      "download",
      "--bucket",
      "hostile-logs",
      "--account-id",
      "111122223333",
      "--region",
      "us-east-1",
      "--from",
      "2024-03-01",
      "--to",
      "2024-03-01T23:59:59Z",
      "--log-dir",
      `${hostileBase}/logs`,
      "--endpoint-url",
      endpoint,
    ],
    undefined,
    { AWS_ACCESS_KEY_ID: "AKIATEST", AWS_SECRET_ACCESS_KEY: "test" },
  );
  const outside = [...Deno.readDirSync(hostileBase)].map((e) => e.name).filter((n) => n !== "logs");
  check(
    "download of a key with '..' segments: skipped, counted as failed, nothing written outside --log-dir",
    hostile.code === 1 && outside.length === 0 && hostile.stderr.includes('the key has a ".." segment') &&
      hostile.stderr.includes("1 failed"),
    `exit ${hostile.code}, outside: ${outside.join(", ")}\n${hostile.stderr}`,
  );
  // validate from the bundle, offline: a signed tree with sidecars and --public-keys; keeps only read and env.
  const { makeSigner, publicKeyList, SignedTrail, writeTree } = await import("./signed_tree.ts");
  const signed = new Map();
  const signer = makeSigner();
  const signedTrail = new SignedTrail(signed, { bucket: "trail-logs", signer });
  signedTrail.digest("2024-03-01T01:17:42Z", [signedTrail.log("2024-03-01T00:05:00Z", "Ab12")]);
  const copy = await Deno.makeTempDir({ prefix: "trailscraper-validate-" });
  writeTree(signed, copy, "trail-logs");
  await Deno.writeTextFile(`${copy}/keys.json`, JSON.stringify(publicKeyList([signer])));
  const validated = await run([
    "--verbose",
    "validate",
    "--log-dir",
    copy,
    "--public-keys",
    `${copy}/keys.json`,
    "--from",
    "2024-03-01",
    "--to",
    "2024-03-01T00:59:59Z",
  ]);
  check(
    "validate --log-dir --public-keys of a signed copy, keeping read and env, hashing on Web Workers",
    validated.code === 0 &&
      validated.stderr.includes("permissions kept by validate --log-dir --public-keys: read, env\n") &&
      /validate: hashing on [1-9]\d* Web Workers\n/.test(validated.stderr) &&
      validated.stderr.includes("1 digests (1 valid), 1 log files (1 valid)"),
    validated.stderr,
  );
  await Deno.remove(copy, { recursive: true });
  // sync from the bundle: node:sqlite, the worker pool and fsync, with the binary's flags.
  const archive = await Deno.makeTempDir({ prefix: "trailscraper-archive-" });
  const synced = await run(
    [
      "sync",
      "--bucket",
      "trail-logs",
      "--events-dir",
      `${archive}/events`,
      "--state-db",
      `${archive}/state.db`,
      "--endpoint-url",
      endpoint,
    ],
    undefined,
    { AWS_ACCESS_KEY_ID: "AKIATEST", AWS_SECRET_ACCESS_KEY: "test" },
  );
  const fromArchive = await run(["select", "--log-dir", `${archive}/events`, "--filter-assumed-role-arn", role]);
  const ids = (out: string) =>
    JSON.stringify((JSON.parse(out || '{"Records":[]}').Records as { eventID: string }[]).map((r) => r.eventID).sort());
  check(
    `sync from fauxqs into an archive that select reads like the logs`,
    synced.code === 0 && fromArchive.code === 0 && ids(fromArchive.stdout) === ids(selected.stdout),
    synced.stderr + fromArchive.stderr,
  );
  await Deno.remove(archive, { recursive: true });
  client.destroy();
  await s3.stop();

  // select --use-cloudtrail-api from the bundle against a minimal CloudTrail JSON 1.1 endpoint.
  const event = JSON.parse(selected.stdout).Records[0];
  const trail = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response(JSON.stringify({ Events: [{ EventId: "1", CloudTrailEvent: JSON.stringify(event) }] }), {
        headers: { "content-type": "application/x-amz-json-1.1" },
      }),
  );
  const viaApi = await run(
    [
      "select",
      "--use-cloudtrail-api",
      "--region",
      "eu-west-1",
      "--from",
      "2024-03-01",
      "--to",
      "2024-03-02",
      "--endpoint-url",
      `http://127.0.0.1:${(trail.addr as Deno.NetAddr).port}`,
    ],
    undefined,
    { AWS_ACCESS_KEY_ID: "AKIATEST", AWS_SECRET_ACCESS_KEY: "test" },
  );
  await trail.shutdown();
  check(
    "select --use-cloudtrail-api",
    viaApi.code === 0 && JSON.parse(viaApi.stdout).Records[0]?.eventID === event.eventID,
    viaApi.stderr,
  );
  await Deno.remove(downloaded, { recursive: true });
  await Deno.remove(logs, { recursive: true });

  // The IAM data is in the bundle, in a chunk of its own that --help never parses.
  const chunks = [...Deno.readDirSync(empty)].filter((e) => e.name.endsWith(".js"));
  const holdsData = (name: string) => {
    const text = Deno.readTextFileSync(`${empty}/${name}`);
    return text.includes("ListAllMyBuckets") && text.includes("ReEncryptFrom");
  };
  check(
    "the bundle embeds the IAM data, outside main.js (lazy)",
    chunks.some((c) => c.name !== "main.js" && holdsData(c.name)) && !holdsData("main.js"),
  );
} finally {
  await Deno.remove(empty, { recursive: true });
}
console.log(`${failures === 0 ? "bundle check passed" : `bundle check: ${failures} failed`}`);
Deno.exit(failures === 0 ? 0 : 1);
