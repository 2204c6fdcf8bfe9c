import assert from "node:assert/strict";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { startCloudTrailPeer } from "../helpers/cloudtrail_peer.ts";
import {
  makeSigner,
  publicKeyList,
  SignedTrail,
  tamper,
  type TreeObject,
  uploadObjects,
  writeTree,
} from "../../scripts/signed_tree.ts";
import { InterruptSwitch, runCli } from "../helpers/fake_io.ts";
import { startS3Peer } from "../helpers/s3_peer.ts";
import { VirtualClock } from "../helpers/virtual_clock.ts";

const BUCKET = "trail-bucket";
const HOUR = 3_600_000;
const ORG = "o-abcdefghij";
const ACCOUNTS = ["111122223333", "444455556666"];
const REGIONS = ["eu-west-1", "us-east-1"];
const signer = makeSigner();

/** An org trail: 2 accounts x 2 regions x 6 hours, two log files an hour but the fourth (an empty hour). */
function orgTree(): { objects: Map<string, TreeObject>; logs: string[]; digests: string[] } {
  const objects = new Map<string, TreeObject>();
  const logs: string[] = [];
  const digests: string[] = [];
  for (const account of ACCOUNTS) {
    for (const region of REGIONS) {
      const trail = new SignedTrail(objects, { bucket: BUCKET, signer, account, region, orgId: ORG });
      for (let h = 0; h < 6; h++) {
        const start = Date.parse("2024-03-01T00:00:00Z") + h * HOUR;
        const hour = h === 3
          ? []
          : [5, 35].map((m) => trail.log(new Date(start + m * 60_000).toISOString(), `h${h}m${m}`));
        logs.push(...hour);
        digests.push(trail.digest(new Date(start + HOUR + 17 * 60_000).toISOString(), hour));
      }
    }
  }
  return { objects, logs, digests };
}

const common = [
  "--org-id",
  ORG,
  ...ACCOUNTS.flatMap((a) => ["--account-id", a]),
  ...REGIONS.flatMap((r) => ["--region", r]),
  "--from",
  "2024-03-01T00:00:00Z",
  "--to",
  "2024-03-01T05:59:59Z",
];

interface Entry {
  kind: string;
  key: string;
  state: string;
  reason?: string;
}
const byKey = (files: Entry[]) =>
  files.map(({ kind, key, state, reason }) => ({ kind, key, state, reason })).sort((a, b) => (a.key < b.key ? -1 : 1));

async function withPeers(
  objects: Map<string, TreeObject>,
  work: (s3: string, cloudtrail: string, seen: () => string[]) => Promise<void>,
): Promise<void> {
  const s3 = await startS3Peer();
  const ct = startCloudTrailPeer({ events: {}, publicKeys: publicKeyList([makeSigner(), signer]).PublicKeyList });
  try {
    await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await uploadObjects(s3.client, BUCKET, objects);
    await work(s3.endpoint, ct.endpoint, () => ct.requests.map((r) => `${r.target} ${r.region}`));
  } finally {
    await s3.stop();
    await ct.stop();
  }
}

Deno.test("validate: an org trail over S3 is valid; public keys asked once per region (every page)", async () => {
  const { objects, logs, digests } = orgTree();
  await withPeers(objects, async (s3, cloudtrail, seen) => {
    const r = await runCli(["validate", "--bucket", BUCKET, ...common, "--endpoint-url", s3, "--format", "json"], {
      env: { AWS_ENDPOINT_URL_CLOUDTRAIL: cloudtrail },
    });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { files: Entry[]; summary: { valid: boolean } };
    assert.equal(doc.summary.valid, true);
    assert.deepEqual(
      byKey(doc.files).map((f) => f.key),
      [...logs, ...digests].sort(),
    );
    assert.ok(doc.files.every((f) => f.state === "valid"));
    assert.match(
      r.stderr,
      /^validate: 4 account\/regions, 24 digests \(24 valid\), 40 log files \(40 valid\), 0 unreadable in [\d.]+ s\n$/,
    );
    // Two keys, one per page: two ListPublicKeys calls per region, cached for the run.
    assert.deepEqual(seen().sort(), [
      "CloudTrail_20131101.ListPublicKeys eu-west-1",
      "CloudTrail_20131101.ListPublicKeys eu-west-1",
      "CloudTrail_20131101.ListPublicKeys us-east-1",
      "CloudTrail_20131101.ListPublicKeys us-east-1",
    ]);
  });
});

Deno.test("validate: the same states from S3 and from a local copy with --public-keys (offline); exit 1", async () => {
  const { objects, logs, digests } = orgTree();
  tamper(objects, logs[0]!);
  objects.delete(logs[6]!);
  objects.delete(digests[2]!); // hour 2: its log files 4 and 5 are named by nothing valid
  const keys = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(keys, JSON.stringify(publicKeyList([signer])));
  const local = await Deno.makeTempDir();
  writeTree(objects, local, BUCKET);
  await withPeers(objects, async (s3) => {
    const remote = await runCli(["validate", "--bucket", BUCKET, ...common, "--endpoint-url", s3, "--format", "json"], {
      env: { AWS_ENDPOINT_URL_CLOUDTRAIL: "http://127.0.0.1:9" },
      permissionsKept: [],
    }).catch((e) => ({ code: -1, stdout: "", stderr: String(e) }));
    // No CloudTrail endpoint answers: the run names what failed, and keeps to one line.
    assert.equal(remote.code, 1);
    assert.match(
      remote.stderr,
      /error: validating s3:\/\/trail-bucket\/AWSLogs\/o-abcdefghij\/111122223333\/ \(eu-west-1\) failed/,
    );
    const s3Run = await runCli([
      "validate",
      "--bucket",
      BUCKET,
      ...common,
      "--endpoint-url",
      s3,
      "--format",
      "json",
      "--public-keys",
      keys,
    ]);
    const localRun = await runCli([
      "validate",
      "--log-dir",
      local,
      ...common,
      "--format",
      "json",
      "--public-keys",
      keys,
    ]);
    assert.equal(s3Run.code, 1, s3Run.stderr);
    assert.equal(localRun.code, 1, localRun.stderr);
    const fromS3 = byKey((JSON.parse(s3Run.stdout) as { files: Entry[] }).files);
    assert.deepEqual(byKey((JSON.parse(localRun.stdout) as { files: Entry[] }).files), fromS3);
    const bad = fromS3.filter((f) => f.state !== "valid").map((f) => [f.key, f.state]);
    assert.deepEqual(
      bad,
      [
        [logs[0], "modified"],
        [logs[4], "not-covered"],
        [logs[5], "not-covered"],
        [logs[6], "deleted"],
        [digests[2], "deleted"],
        [digests[3], "chain-broken"],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    assert.match(localRun.stderr, /error: 6 files are not valid or could not be read \(see above\)\n$/);
  });
});

Deno.test("validate: text output lists the files that are not valid on stdout, tab-separated", async () => {
  const { objects, logs, digests } = orgTree();
  tamper(objects, logs[1]!);
  const keys = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(keys, JSON.stringify(publicKeyList([signer])));
  const local = await Deno.makeTempDir();
  writeTree(objects, local, BUCKET);
  const r = await runCli(["validate", "--log-dir", local, ...common, "--public-keys", keys]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, `modified\tlog\t${local}/${logs[1]}\tSHA-256 differs from "${digests[0]}"\n`);
});

Deno.test("validate: a local copy without sidecars has no signatures; bad inputs are one-line errors", async () => {
  const { objects } = orgTree();
  const local = await Deno.makeTempDir();
  for (const o of objects.values()) delete o.metadata;
  writeTree(objects, local, BUCKET);
  const keys = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(keys, JSON.stringify(publicKeyList([signer])));
  const r = await runCli(["validate", "--log-dir", local, ...common, "--public-keys", keys, "--format", "json"]);
  assert.equal(r.code, 1);
  const files = (JSON.parse(r.stdout) as { files: Entry[] }).files;
  assert.ok(
    files.filter((f) => f.kind === "digest").every((f) => f.reason === "no signature in the object's metadata"),
  );
  const noKeys = await runCli(["validate", "--log-dir", local, "--public-keys", local + "/nope.json"]);
  assert.equal(noKeys.code, 1);
  assert.match(noKeys.stderr, /^error: .*nope\.json/);
  const badKeys = await runCli(["validate", "--log-dir", local, "--public-keys", local + "/AWSLogs"]);
  assert.equal(badKeys.code, 1);
  const noDir = await runCli(["validate", "--log-dir", local + "/missing", "--public-keys", keys]);
  assert.equal(noDir.code, 1);
  assert.match(noDir.stderr, /^error: Cannot validate log dir ".*missing": it does not exist\n$/);
  const usage = await runCli(["validate", "--bucket", BUCKET]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /validate --bucket needs --account-id and --region/);
});

Deno.test("validate: a --public-keys file that never ends (/dev/zero) is refused past 16 MiB, not read whole", async () => {
  const local = await Deno.makeTempDir();
  const r = await runCli(["validate", "--log-dir", local, "--public-keys", "/dev/zero"]);
  assert.deepEqual([r.code, r.stdout], [1, ""]);
  assert.equal(
    r.stderr,
    'error: Cannot read public keys from "/dev/zero": more than 16 MiB (a ListPublicKeys answer is a few kB)\n',
  );
});

Deno.test("validate: a --public-keys path that cannot be read (a directory) is named in the one-line error", async () => {
  const local = await Deno.makeTempDir();
  const keys = join(local, "keys.json");
  await Deno.mkdir(keys);
  const r = await runCli(["validate", "--log-dir", local, "--public-keys", keys]);
  assert.deepEqual([r.code, r.stdout], [1, ""]);
  assert.match(r.stderr, /^error: Cannot read public keys from ".*keys\.json": Is a directory[^\n]*\n$/);
});

Deno.test("download --with-digests: the local copy validates offline to the same states as S3; a rerun skips", async () => {
  const { objects, logs, digests } = orgTree();
  tamper(objects, logs[3]!);
  objects.delete(digests[8]!);
  const keys = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(keys, JSON.stringify(publicKeyList([signer])));
  const local = await Deno.makeTempDir();
  await withPeers(objects, async (s3, cloudtrail) => {
    const download = ["download", "--bucket", BUCKET, ...common, "--log-dir", local, "--endpoint-url", s3];
    const d = await runCli([...download, "--with-digests"]);
    assert.equal(d.code, 0, d.stderr);
    assert.match(
      d.stderr,
      /\ndownload: 23 digests listed, 23 downloaded with their signatures, 0 already there, 0 failed\n$/,
    );
    const again = await runCli([...download, "--with-digests"]);
    assert.match(again.stderr, /\ndownload: 23 digests listed, 0 downloaded with their signatures, 23 already there/);
    // A run killed between a digest and its sidecar: the digest is fetched again, with its sidecar.
    await Deno.remove(join(local, digests[0]!) + ".sig.json");
    const resumed = await runCli([...download, "--with-digests"]);
    assert.match(resumed.stderr, /\ndownload: 23 digests listed, 1 downloaded with their signatures, 22 already there/);
    const fromS3 = await runCli(["validate", "--bucket", BUCKET, ...common, "--endpoint-url", s3, "--format", "json"], {
      env: { AWS_ENDPOINT_URL_CLOUDTRAIL: cloudtrail },
    });
    const offline = await runCli([
      "validate",
      "--log-dir",
      local,
      ...common,
      "--public-keys",
      keys,
      "--format",
      "json",
    ]);
    assert.equal(fromS3.code, 1);
    assert.equal(offline.code, 1);
    const s3Files = byKey((JSON.parse(fromS3.stdout) as { files: Entry[] }).files);
    assert.deepEqual(byKey((JSON.parse(offline.stdout) as { files: Entry[] }).files), s3Files);
    assert.deepEqual(s3Files.filter((f) => f.state !== "valid").map((f) => f.state).sort(), [
      "chain-broken",
      "deleted",
      "modified",
      "not-covered",
      "not-covered",
    ]);
  });
});

Deno.test("completions: validate and its options, download --with-digests, in bash, zsh and fish", async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await runCli(["completions", shell]);
    assert.equal(r.code, 0);
    for (const word of ["validate", "public-keys", "with-digests"]) {
      assert.ok(r.stdout.includes(word), `${shell} ${word}`);
    }
  }
  const fish = (await runCli(["completions", "fish"])).stdout;
  assert.match(fish, /__fish_seen_subcommand_from validate' -l format -x -a 'text json'/);
});

Deno.test("validate: Ctrl-C half-way exits 130; a closed stdout (| head) is a normal end", async () => {
  const { objects } = orgTree();
  const interrupt = new InterruptSwitch();
  let gets = 0;
  const s3 = await startS3Peer({
    fault: (request, url) => {
      if (request.method === "GET" && !url.search.includes("list-type") && ++gets === 5) interrupt.press();
      return undefined;
    },
  });
  const keys = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(keys, JSON.stringify(publicKeyList([signer])));
  try {
    await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await uploadObjects(s3.client, BUCKET, objects);
    const r = await runCli([
      "validate",
      "--bucket",
      BUCKET,
      ...common,
      "--endpoint-url",
      s3.endpoint,
      "--public-keys",
      keys,
    ], {
      interrupt,
    });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /interrupted: validation stopped; nothing was written\n$/);
  } finally {
    await s3.stop();
  }
  // A real process whose reader goes away after the first bytes: exit 0, no error.
  const local = await Deno.makeTempDir();
  const big = new Map<string, TreeObject>();
  for (const account of ACCOUNTS) {
    for (const region of REGIONS) {
      const trail = new SignedTrail(big, { bucket: BUCKET, signer, account, region });
      for (let h = 0; h < 48; h++) {
        const start = Date.parse("2024-03-01T00:00:00Z") + h * HOUR;
        const logs = [trail.log(new Date(start + 5 * 60_000).toISOString(), `h${h}`)];
        trail.digest(new Date(start + HOUR + 17 * 60_000).toISOString(), logs);
      }
    }
  }
  writeTree(big, local, BUCKET);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../main.ts", import.meta.url).pathname,
      "validate",
      "--log-dir",
      local,
      "--public-keys",
      keys,
      "--from",
      "2024-03-01",
      "--to",
      "2024-03-02T23:59:59Z",
      "--format",
      "json",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  await reader.read();
  await reader.cancel();
  const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  assert.equal(status.code, 0, stderr);
  assert.doesNotMatch(stderr, /error/);
});

Deno.test("validate: an empty range proves nothing and says so (exit 0 with a warning)", async () => {
  const local = await Deno.makeTempDir();
  writeTree(orgTree().objects, local, BUCKET);
  const keys = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(keys, JSON.stringify(publicKeyList([signer])));
  const r = await runCli([
    "validate",
    "--log-dir",
    local,
    "--public-keys",
    keys,
    "--from",
    "2023-01-01",
    "--to",
    "2023-01-02",
  ]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "");
  assert.match(
    r.stderr,
    /4 account\/regions, 0 digests \(none\), 0 log files \(none\).*\nwarning: no digests or log files in the range: nothing was proven\n$/,
  );
});

Deno.test("validate with --to now: the newest log files await their digest, say when to run again, and exit 0", async () => {
  const { objects } = orgTree(); // the newest digests end at 06:17Z
  const trail = new SignedTrail(objects, {
    bucket: BUCKET,
    signer,
    account: ACCOUNTS[0]!,
    region: REGIONS[0]!,
    orgId: ORG,
  });
  const fresh = [trail.log("2024-03-01T06:20:00Z", "fresh1"), trail.log("2024-03-01T06:40:00Z", "fresh2")];
  const local = await Deno.makeTempDir();
  writeTree(objects, local, BUCKET);
  const keys = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(keys, JSON.stringify(publicKeyList([signer])));
  const args = ["validate", "--log-dir", local, "--public-keys", keys, "--from", "2024-03-01T00:00:00Z"];
  const clock = new VirtualClock(Date.parse("2024-03-01T06:50:00Z"));
  const text = await runCli(args, { clock }); // --to now
  assert.equal(text.code, 0, text.stderr);
  assert.equal(
    text.stdout,
    [[fresh[0], "08:20"], [fresh[1], "08:40"]].map(([k, at]) =>
      `awaiting-digest\tlog\t${local}/${k}\tno digest yet: delivered after the newest digest, less than 2 hours ago; ` +
      `run again after 2024-03-01T${at}:00Z\n`
    ).join(""),
  );
  assert.match(
    text.stderr,
    /^validate: 4 account\/regions, 24 digests \(24 valid\), 42 log files \(40 valid, 2 awaiting-digest\), 0 unreadable in [\d.]+ s\nvalidate: 2 log files await their digest \(CloudTrail delivers one about every hour\): run again after 2024-03-01T08:40:00Z\n$/,
  );
  const json = await runCli([...args, "--format", "json"], { clock });
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as {
    files: (Entry & { recheckAfter?: string })[];
    summary: { valid: boolean; recheckAfter: string | null; logFiles: Record<string, number>; states: string[] };
  };
  assert.deepEqual(
    doc.files.filter((f) => f.state === "awaiting-digest").map((f) => [f.key, f.recheckAfter]),
    [[fresh[0], "2024-03-01T08:20:00Z"], [fresh[1], "2024-03-01T08:40:00Z"]],
  );
  assert.equal(doc.summary.valid, true);
  assert.equal(doc.summary.recheckAfter, "2024-03-01T08:40:00Z");
  assert.equal(doc.summary.logFiles["awaiting-digest"], 2);
  assert.ok(doc.summary.states.includes("awaiting-digest"));
  // A file older than the newest digest that no digest names still fails the run, awaiting ones beside it.
  const injected = trail.log("2024-03-01T05:50:00Z", "injected");
  writeTree(new Map([[injected, objects.get(injected)!]]), local, BUCKET);
  const failed = await runCli(args, { clock });
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /^not-covered\tlog\t.*_injected\.json\.gz\tno digest names it$/m);
  assert.match(failed.stderr, /43 log files \(40 valid, 2 awaiting-digest, 1 not-covered\)/);
  assert.match(failed.stderr, /\nerror: 1 files are not valid or could not be read \(see above\)\n$/);
  // Two hours later the digest that should name them has not come: not covered, exit 1.
  const later = await runCli(args, { clock: new VirtualClock(Date.parse("2024-03-01T08:40:00Z")) });
  assert.equal(later.code, 1);
  assert.doesNotMatch(later.stdout, /awaiting-digest/);
  assert.doesNotMatch(later.stderr, /run again/);
});
