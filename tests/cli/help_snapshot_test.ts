/** Help texts as snapshots: run with UPDATE_SNAPSHOTS=1 to rewrite them after a deliberate change. */
import assert from "node:assert/strict";
import { runCli } from "../helpers/fake_io.ts";

const dir = new URL("../fixtures/help/", import.meta.url);
const commands = ["", "download", "select", "last-event-timestamp", "generate", "guess", "completions"];

Deno.test("--help of every command matches its snapshot", async (t) => {
  for (const command of commands) {
    await t.step(command || "trailscraper", async () => {
      const r = await runCli(command ? [command, "--help"] : ["--help"]);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, "");
      const file = new URL(`${command || "trailscraper"}.txt`, dir);
      if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") await Deno.writeTextFile(file, r.stdout);
      assert.equal(
        r.stdout,
        await Deno.readTextFile(file),
        `help of "${command}" changed; UPDATE_SNAPSHOTS=1 rewrites it`,
      );
    });
  }
});
