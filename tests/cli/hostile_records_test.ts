/** Hostile records through the commands: one that cannot be processed costs only itself, counted with its reason. */
import assert from "node:assert/strict";
import { runCli } from "../helpers/fake_io.ts";
import { deepLogDir, HOSTILE_ROLE as ROLE } from "../helpers/hostile_logs.ts";

Deno.test("select: a record nested 100,000 deep is skipped and counted; every other record is printed", async () => {
  const dir = await deepLogDir();
  for (const workers of ["0", "2"]) {
    for (const role of [[], ["--filter-assumed-role-arn", ROLE]]) {
      const r = await runCli(["select", "--log-dir", dir, "--workers", workers, ...role]);
      assert.equal(r.code, 0, r.stderr);
      const times = (JSON.parse(r.stdout).Records as { eventTime: string }[]).map((x) => x.eventTime);
      assert.deepEqual(times, ["2024-03-01T09:50:00Z", "2024-03-01T09:55:00Z", "2024-03-01T10:05:00Z"]);
      assert.equal(
        r.stderr,
        "select: 3 log files read; 3 records matched, 1 records skipped (1 nested too deeply to process)\n",
      );
    }
  }
  await Deno.remove(dir, { recursive: true });
});
