/** download interrupted in a real process: SIGKILL or SIGINT half-way, then a rerun. */
import assert from "node:assert/strict";
import { generateCorpus } from "../../scripts/gen_corpus.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { TEST_AWS_ENV } from "../helpers/aws_env.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

function args(endpoint: string, logDir: string): string[] {
  return [
    "run",
    "--quiet",
    "--allow-all",
    main,
    "download",
    "--bucket",
    "trail-logs",
    "--account-id",
    "111122223333",
    "--region",
    "us-east-1",
    "--from",
    "2024-03-01",
    "--to",
    "2024-03-01T23:59:59Z",
    "--log-dir",
    logDir,
    "--endpoint-url",
    endpoint,
    "--parallelism",
    "2",
  ];
}

async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(`${dir}/${e.name}`);
      else out.push(`${dir}/${e.name}`.slice(root.length + 1));
    }
  };
  await walk(root).catch(() => {});
  return out.sort();
}

async function interruptHalfWay(signal: Deno.Signal) {
  const source = await Deno.makeTempDir();
  const corpus = generateCorpus(source, {
    accounts: ["111122223333"],
    regions: ["us-east-1"],
    days: 1,
    filesPerDay: 8,
    recordsPerFile: 200,
    extras: false,
  });
  const sizes = new Map(corpus.map((f) => [f.path.slice(source.length + 1), Deno.statSync(f.path).size]));
  const peer = await startS3Peer({ slowBodyMs: 60 });
  await peer.upload("trail-logs", source);
  const logDir = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: args(peer.endpoint, logDir),
    stdout: "piped",
    stderr: "piped",
    env: { ...TEST_AWS_ENV },
  }).spawn();
  // Interrupt once two files are complete and another is under way (or the child ended early).
  let exited = false;
  const status = child.status.then((st) => ((exited = true), st));
  let during: string[] = [];
  for (let i = 0; i < 600 && !exited; i++) {
    during = await files(logDir);
    const complete = during.filter((f) => f.endsWith(".json.gz")).length;
    if (complete >= 2 && during.some((f) => f.includes(".json.gz.tmp-"))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const endedEarly = exited;
  if (!endedEarly) child.kill(signal);
  const out = await child.output();
  await status;
  const stderr = new TextDecoder().decode(out.stderr);
  assert.ok(!endedEarly, `download ended before it could be interrupted (exit ${out.code}): ${stderr}`);
  assert.ok(during.some((f) => f.includes(".json.gz.tmp-")), `no download was under way: ${during}; ${stderr}`);
  return { peer, logDir, sizes, out, stderr };
}

Deno.test("download killed with SIGKILL leaves no partial log file; a rerun completes the set and cleans up", async () => {
  const { peer, logDir, sizes, out, stderr } = await interruptHalfWay("SIGKILL");
  try {
    assert.notEqual(out.code, 0, stderr);
    const after = await files(logDir);
    const complete = after.filter((f) => f.endsWith(".json.gz"));
    assert.ok(complete.length >= 2 && complete.length < sizes.size, `${complete.length} complete files`);
    for (const f of complete) assert.equal(Deno.statSync(`${logDir}/${f}`).size, sizes.get(f), `${f} is partial`);
    const rerun = await new Deno.Command(Deno.execPath(), {
      args: args(peer.endpoint, logDir),
      stdout: "piped",
      stderr: "piped",
      env: { ...TEST_AWS_ENV },
    }).output();
    assert.equal(rerun.code, 0, new TextDecoder().decode(rerun.stderr));
    assert.match(new TextDecoder().decode(rerun.stderr), new RegExp(`${complete.length} already there`));
    assert.deepEqual(await files(logDir), [...sizes.keys()].sort());
    for (const [f, size] of sizes) assert.equal(Deno.statSync(`${logDir}/${f}`).size, size);
  } finally {
    await peer.stop();
  }
});

Deno.test("download interrupted with SIGINT exits 130 and removes its temporary files", async () => {
  const { peer, logDir, sizes, out, stderr } = await interruptHalfWay("SIGINT");
  try {
    assert.equal(out.code, 130, stderr);
    assert.match(stderr, /interrupted: download stopped; no partial file was left, rerun to resume\n$/);
    const after = await files(logDir);
    assert.deepEqual(after.filter((f) => !f.endsWith(".json.gz")), []);
    for (const f of after) assert.equal(Deno.statSync(`${logDir}/${f}`).size, sizes.get(f));
  } finally {
    await peer.stop();
  }
});

Deno.test("download into a log dir it may not write stops at once with one line", async () => {
  const source = await Deno.makeTempDir();
  generateCorpus(source, {
    accounts: ["111122223333"],
    regions: ["us-east-1"],
    days: 1,
    filesPerDay: 6,
    recordsPerFile: 2,
    extras: false,
  });
  const peer = await startS3Peer();
  try {
    await peer.upload("trail-logs", source);
    const logDir = await Deno.makeTempDir();
    const elsewhere = await Deno.makeTempDir();
    const out = await new Deno.Command(Deno.execPath(), {
      args: args(peer.endpoint, logDir).map((a) => (a === "--allow-all" ? `--allow-write=${elsewhere}` : a))
        .flatMap((
          a,
        ) => (a.startsWith("--allow-write") ? [a, "--allow-read", "--allow-env", "--allow-net", "--allow-sys"] : [a])),
      stdout: "piped",
      stderr: "piped",
      env: { ...TEST_AWS_ENV },
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1, stderr);
    assert.match(stderr, new RegExp(`^error: cannot write to log dir "${logDir}": Requires write access to`));
    assert.equal(stderr.trim().split("\n").length, 1, stderr);
  } finally {
    await peer.stop();
  }
});
