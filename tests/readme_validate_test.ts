/** The docs' validate example is the real output of this run (the temp dir shown as `logs`, the time as 0.0 s). */
import assert from "node:assert/strict";
import { makeSigner, publicKeyList, SignedTrail, tamper, type TreeObject, writeTree } from "../scripts/signed_tree.ts";
import { readDocs, shown } from "./helpers/docs.ts";
import { runCli } from "./helpers/fake_io.ts";
import { VirtualClock } from "./helpers/virtual_clock.ts";

const docs = await readDocs();

Deno.test("the docs show the real output of validate on a local copy with one log file changed, one deleted, one added", async () => {
  const objects = new Map<string, TreeObject>();
  const signer = makeSigner();
  const trail = new SignedTrail(objects, { bucket: "my-trail-bucket", signer, region: "eu-west-1", trail: "main" });
  const hour0 = [trail.log("2024-03-01T00:05:00Z", "Ab12"), trail.log("2024-03-01T00:35:00Z", "Cd34")];
  trail.digest("2024-03-01T01:17:42Z", hour0);
  const hour1 = [trail.log("2024-03-01T01:10:00Z", "Ef56")];
  trail.digest("2024-03-01T02:17:42Z", hour1);
  trail.digest("2024-03-01T03:17:42Z", []); // an hour without activity still has its digest
  tamper(objects, hour0[1]!);
  objects.delete(hour1[0]!);
  trail.log("2024-03-01T02:20:00Z", "Gh78");
  const dir = await Deno.makeTempDir();
  writeTree(objects, `${dir}/logs`, "my-trail-bucket");
  await Deno.writeTextFile(`${dir}/keys.json`, JSON.stringify(publicKeyList([signer])));
  const r = await runCli([
    "validate",
    "--log-dir",
    `${dir}/logs`,
    "--public-keys",
    `${dir}/keys.json`,
    "--from",
    "2024-03-01",
    "--to",
    "2024-03-01T02:59:59Z",
  ]);
  assert.equal(r.code, 1);
  const output = (r.stdout + r.stderr).replaceAll(`${dir}/`, "").replace(/ in [\d.]+ s\n/, " in 0.0 s\n");
  const command =
    "$ trailscraper validate --log-dir logs --public-keys keys.json --from 2024-03-01 --to 2024-03-01T02:59:59Z\n";
  // The whole block, from the command to the next prompt: nothing else may sit in it.
  assert.ok(shown(docs, command + output + "$ echo $?\n1\n"), `the docs' validate output is stale:\n${output}`);
});

Deno.test("the docs show the real output of validate with the defaults shortly after CloudTrail delivered log files", async () => {
  const objects = new Map<string, TreeObject>();
  const signer = makeSigner();
  const trail = new SignedTrail(objects, { bucket: "my-trail-bucket", signer, region: "eu-west-1", trail: "main" });
  trail.digest("2024-03-01T01:17:42Z", [
    trail.log("2024-03-01T00:05:00Z", "Ab12"),
    trail.log("2024-03-01T00:35:00Z", "Cd34"),
  ]);
  trail.digest("2024-03-01T02:17:42Z", [trail.log("2024-03-01T01:10:00Z", "Ef56")]);
  trail.digest("2024-03-01T03:17:42Z", []);
  trail.log("2024-03-01T03:20:00Z", "Gh78"); // after the newest digest: the one of 04:17:42 will name them
  trail.log("2024-03-01T03:35:00Z", "Ij90");
  const dir = await Deno.makeTempDir();
  writeTree(objects, `${dir}/logs`, "my-trail-bucket");
  await Deno.writeTextFile(`${dir}/keys.json`, JSON.stringify(publicKeyList([signer])));
  const clock = new VirtualClock(Date.parse("2024-03-01T03:50:00Z"));
  const r = await runCli(
    ["validate", "--log-dir", `${dir}/logs`, "--public-keys", `${dir}/keys.json`, "--from", "2024-03-01"],
    { clock },
  );
  assert.equal(r.code, 0, r.stderr);
  const output = (r.stdout + r.stderr).replaceAll(`${dir}/`, "").replace(/ in [\d.]+ s\n/, " in 0.0 s\n");
  const command = "$ trailscraper validate --log-dir logs --public-keys keys.json --from 2024-03-01\n";
  assert.ok(shown(docs, command + output + "$ echo $?\n0\n"), `the docs' validate output is stale:\n${output}`);
});
