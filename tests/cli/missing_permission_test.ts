/** Run from source with too few Deno permissions: one error line naming the flag to add, exit 1; never a worker crash. */
import assert from "node:assert/strict";

const main = new URL("../../main.ts", import.meta.url).pathname;
const root = new URL("../../", import.meta.url).pathname;

async function deno(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", ...args],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("process: a command without the permission it needs says which flag to add, in one line, exit 1", async () => {
  const cases: [string[], RegExp][] = [
    [["select", "--log-dir", "data/sample/logs"], /--allow-read flag/],
    [["select"], /--allow-env=HOME,USERPROFILE/],
    [["changes", "--log-dir", "data/sample/incident"], /--allow-read flag/],
    [["last-event-timestamp", "--log-dir", "data/sample/logs"], /--allow-read flag/],
  ];
  for (const [args, flag] of cases) {
    const r = await deno(main, ...args);
    assert.equal(r.code, 1, args.join(" "));
    assert.equal(r.stdout, "", args.join(" "));
    assert.match(r.stderr, /^error: [^\n]+\n$/, args.join(" "));
    assert.match(r.stderr, flag, args.join(" "));
  }
});

Deno.test("process: read access to the log dir alone is enough; the workers' modules then stay unloaded", async () => {
  for (const args of [["select", "--log-dir", "data/sample/logs"], ["changes", "--log-dir", "data/sample/incident"]]) {
    const r = await deno(`--allow-read=${args[2]}`, main, ...args, "--workers", "2");
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Uncaught|error/i);
    assert.ok(r.stdout.length > 0);
  }
});
