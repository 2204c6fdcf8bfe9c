/** Black-box tests: the real entry point in a real process, with only the permissions the binary has. */
import assert from "node:assert/strict";

const main = new URL("../../main.ts", import.meta.url).pathname;
const sample = new URL("../../data/sample/records.json", import.meta.url).pathname;

async function trailscraper(args: string[], stdin: string, shell?: string, denoFlags: string[] = []) {
  const command = shell
    ? new Deno.Command("bash", { args: ["-o", "pipefail", "-c", shell], stdout: "piped", stderr: "piped" })
    : new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--no-prompt", ...denoFlags, main, ...args],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    });
  const child = command.spawn();
  if (!shell) {
    const writer = child.stdin.getWriter();
    try {
      await writer.write(new TextEncoder().encode(stdin));
      await writer.close();
    } catch (e) {
      if (!(e instanceof Deno.errors.BrokenPipe)) throw e; // it ended before reading all: its output says why
    }
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

/** The modules `root` loads before any dynamic import runs (`deno info`'s graph, static edges only). */
async function eagerGraph(root: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json", root], stdout: "piped" }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: { specifier: string; dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[] }[];
  };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!dep.isDynamic && dep.code) stack.push(dep.code.specifier);
    }
  }
  return [...seen];
}

Deno.test("process: the static import graph of main.ts holds no IAM data, no AWS SDK and no command code", async () => {
  const eager = await eagerGraph(main);
  assert.ok(eager.some((s) => s.endsWith("/src/cli/program.ts")), "graph walk found nothing");
  for (const lazy of ["iam_actions.json", "iam_action_names.json", "@aws-sdk", "/src/commands/", "/src/core/"]) {
    assert.deepEqual(eager.filter((s) => s.includes(lazy)), [], `${lazy} is loaded at startup`);
  }
});

Deno.test("process: the mcp server loads the IAM levels table (iam_actions.json) at the first policy, not at start", async () => {
  const eager = await eagerGraph(new URL("../../src/commands/mcp.ts", import.meta.url).pathname);
  assert.ok(eager.some((s) => s.endsWith("/src/commands/mcp_tools.ts")), "graph walk found nothing");
  assert.deepEqual(eager.filter((s) => s.includes("iam_actions.json")), []);
});

Deno.test("process: select | generate over the bundled sample logs with the binary's permissions", async () => {
  const logs = new URL("../../data/sample/logs", import.meta.url).pathname;
  const deno = `"${Deno.execPath()}" run --quiet --no-prompt`;
  const role = "arn:aws:iam::111122223333:role/ci-deploy";
  const r = await trailscraper(
    [],
    "",
    `${deno} --allow-read --allow-env=HOME,USERPROFILE "${main}" select --log-dir "${logs}" --filter-assumed-role-arn ${role} | ${deno} "${main}" generate`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /select: 8 log files read; 44 records matched/);
  const statements = JSON.parse(r.stdout).Statement as { Action: string[] }[];
  assert.ok(statements.some((s) => s.Action.includes("sts:AssumeRole")));
});

Deno.test("process: select | head -c 20 stops the workers and exits 0 without an error", async () => {
  const logs = new URL("../../data/sample/logs", import.meta.url).pathname;
  const deno = `"${Deno.execPath()}" run --quiet --no-prompt --allow-read`;
  const r = await trailscraper([], "", `${deno} "${main}" select --log-dir "${logs}" | head -c 20`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '{"Records": [{"event');
  assert.doesNotMatch(r.stderr, /error/i);
});

Deno.test("process: stdin that is a directory (< /) is one line naming stdin, exit 1, for every command that reads it", async () => {
  const deno = `"${Deno.execPath()}" run --quiet --no-prompt --allow-read "${main}"`;
  const dir = await Deno.makeTempDir();
  const policy = `${dir}/policy.json`;
  await Deno.writeTextFile(policy, '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}');
  for (const command of ["generate", "guess", `check --policy "${policy}"`]) {
    const r = await trailscraper([], "", `${deno} ${command} < "${dir}"`);
    assert.equal(r.code, 1, `${command}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^error: cannot read stdin: it is a directory\n$/, command);
  }
});

Deno.test("process: mcp with stdin a directory (< /) fails naming stdin, exit 1 (it served nothing)", async () => {
  const deno = `"${Deno.execPath()}" run --quiet --no-prompt -A "${main}"`;
  const dir = await Deno.makeTempDir();
  const r = await trailscraper([], "", `${deno} mcp < "${dir}"`);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /\nerror: cannot read stdin: it is a directory\n$/);
});

Deno.test("process: stdin that never ends and is no JSON (< /dev/zero) is one line, exit 1, not an unexpected failure", async () => {
  const deno = `"${Deno.execPath()}" run --quiet --no-prompt --allow-read "${main}"`;
  for (const command of ["generate", "guess"]) {
    const r = await trailscraper([], "", `${deno} ${command} < /dev/zero`);
    assert.equal(r.code, 1, `${command}: ${r.stderr}`);
    assert.match(r.stderr, /^error: cannot read (records|policy) from stdin: [^\n]+\n$/, command);
    assert.doesNotMatch(r.stderr, /unexpected failure/, command);
    assert.ok(!r.stderr.includes("\0"), command);
  }
});

Deno.test("process: generate reads a Records document where V8 cannot run its WebAssembly scanner, as where it can", async () => {
  const { synthRecords } = await import("../../scripts/synth_records.ts");
  const records = [...synthRecords(400, { seed: 3, distinctResources: 50, calls: "wide" })];
  const document = '{"Records": [' + records.map((r) => JSON.stringify(r)).join(", ") + "]}\n";
  // No WebAssembly at all (--jitless, as locked-down hosts run V8); a CPU without SSE4.1 (QEMU's default qemu64
  // model), where V8 refuses the scanner's SIMD code.
  const hosts = ["--v8-flags=--jitless", "--v8-flags=--no-enable-sse4-1"];
  for (const workers of ["0", "1"]) {
    const args = ["generate", "--workers", workers, "--resources", "precise"];
    const reference = await trailscraper(args, document);
    assert.equal(reference.code, 0, reference.stderr);
    for (const flag of hosts) {
      assert.deepEqual(
        await trailscraper(args, document, undefined, [flag]),
        reference,
        `${flag} --workers ${workers}`,
      );
    }
  }
});

Deno.test("process: generate and check read stdin synchronously: a pipe whose writer pauses, a closed stdin", async () => {
  const deno = `"${Deno.execPath()}" run --quiet --no-prompt --allow-read "${main}"`;
  const first = '{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject"}';
  const second = '{"eventVersion":"1.08","eventSource":"sqs.amazonaws.com","eventName":"SendMessage"}';
  // The writer stops mid-document twice: a read returns what is there and the next waits for the rest.
  const writer = `{ printf '%s' '{"Records": [${first}, '; sleep 0.3; printf '%s' '${second}'; sleep 0.3; echo ']}'; }`;
  const r = await trailscraper([], "", `${writer} | ${deno} generate`);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).Statement[0].Action, ["s3:GetObject", "sqs:SendMessage"]);
  const policy = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(policy, '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}');
  for (const command of ["generate", `check --policy "${policy}"`]) {
    const closed = await trailscraper([], "", `${deno} ${command} <&-`);
    assert.equal(closed.code, 1, closed.stderr);
    assert.match(closed.stderr, /^error: cannot read records from stdin: [^\n]+\n$/, command);
  }
});
