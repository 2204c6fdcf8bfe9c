/** Black-box tests: the real entry point in a real process, with only the permissions the binary has. */
import assert from "node:assert/strict";

const main = new URL("../../main.ts", import.meta.url).pathname;
const sample = new URL("../../data/sample/records.json", import.meta.url).pathname;

async function trailscraper(args: string[], stdin: string, shell?: string) {
  const command = shell
    ? new Deno.Command("bash", { args: ["-o", "pipefail", "-c", shell], stdout: "piped", stderr: "piped" })
    : new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--no-prompt", main, ...args],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    });
  const child = command.spawn();
  if (!shell) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("process: generate | guess runs with no permissions at all", async () => {
  const deno = `"${Deno.execPath()}" run --quiet --no-prompt "${main}"`;
  const r = await trailscraper([], "", `${deno} generate < "${sample}" | ${deno} guess --only Get`);
  assert.equal(r.code, 0, r.stderr);
  const policy = JSON.parse(r.stdout);
  assert.ok(policy.Statement.some((s: { Action: string[] }) => s.Action.includes("s3:GetObject")));
});

Deno.test("process: --help needs no permissions and does not load IAM data or the AWS SDK", async () => {
  const r = await trailscraper(["--help"], "");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Usage: trailscraper/);
});

Deno.test("process: a closed stdout (| head -1) is a normal end, exit 0, no error", async () => {
  const deno = `"${Deno.execPath()}" run --quiet --no-prompt "${main}"`;
  const big = Array.from(
    { length: 3000 },
    (_, i) =>
      JSON.stringify({
        eventSource: "s3.amazonaws.com",
        eventName: "GetObject",
        resources: [{ ARN: `arn:aws:s3:::b/${i}` }],
      }),
  ).join("\n");
  const file = await Deno.makeTempFile({ suffix: ".jsonl" });
  await Deno.writeTextFile(file, big);
  const r = await trailscraper([], "", `${deno} generate < "${file}" | head -1`);
  await Deno.remove(file);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "{\n");
  assert.doesNotMatch(r.stderr, /error/i);
});
