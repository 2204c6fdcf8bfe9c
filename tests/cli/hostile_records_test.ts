/** Hostile records through the commands: one that cannot be processed costs only itself, counted with its reason. */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { runCli } from "../helpers/fake_io.ts";
import { dayDir, logName, record, writeLog } from "../helpers/log_tree.ts";

const ROLE = "arn:aws:iam::111122223333:role/app";

/** A log dir: a good file, a file with a good record and one nested 100,000 deep, another good file. */
export async function deepLogDir(): Promise<string> {
  const dir = await Deno.makeTempDir();
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1000Z", "a")}`, [record("2024-03-01T09:50:00Z", ROLE)]);
  const depth = 100_000;
  const good = JSON.stringify(record("2024-03-01T09:55:00Z", ROLE));
  const deep = `{"eventTime":"2024-03-01T09:56:00Z","eventName":"X","eventSource":"s3.amazonaws.com",` +
    `"userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"arn":"${ROLE}"}}},` +
    `"requestParameters":${"[".repeat(depth)}${"]".repeat(depth)}}`;
  const path = `${dir}/${dayDir("2024-03-01")}/${logName("20240301T1005Z", "b")}`;
  Deno.writeFileSync(path, gzipSync(new TextEncoder().encode(`{"Records":[${good},${deep}]}`)));
  writeLog(dir, `${dayDir("2024-03-01")}/${logName("20240301T1010Z", "c")}`, [record("2024-03-01T10:05:00Z", ROLE)]);
  return dir;
}

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
