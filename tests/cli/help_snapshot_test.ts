/** Help texts as snapshots: run with UPDATE_SNAPSHOTS=1 to rewrite them after a deliberate change. */
import assert from "node:assert/strict";
import { runCli } from "../helpers/fake_io.ts";
import { assertSnapshot } from "../helpers/snapshot.ts";

const dir = new URL("../fixtures/help/", import.meta.url);
const commands = [
  "",
  "download",
  "sync",
  "sync init",
  "select",
  "changes",
  "mcp",
  "last-event-timestamp",
  "generate",
  "guess",
  "completions",
  "check",
  "validate",
];

Deno.test("--help of every command matches its snapshot", async (t) => {
  for (const command of commands) {
    await t.step(command || "trailscraper", async () => {
      const r = await runCli(command ? [...command.split(" "), "--help"] : ["--help"]);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, "");
      await assertSnapshot(
        r.stdout,
        new URL(`${command.replace(" ", "_") || "trailscraper"}.txt`, dir),
        `help of "${command}"`,
      );
    });
  }
});
