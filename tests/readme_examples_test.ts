/**
 * Every `console` example of the docs (README.md and docs/*.md) is run, command by command, in a real shell, and its
 * output compared with what the docs show: stdout exactly (in order), each stderr line present. Examples that need AWS
 * (or an S3 emulator and the aws CLI) are listed below with the tests that cover them instead; a new example is either
 * run or has to be listed.
 */
import assert from "node:assert/strict";
import { type DocFile, docWith, readDocs, ROOT } from "./helpers/docs.ts";

const DOCS = await readDocs();
const MAIN = `${ROOT}main.ts`;

/** First command of an example that is not run here -> why, and which test covers it. */
const NOT_RUN: Record<string, string> = {
  "trailscraper download --bucket my-trail-bucket": "needs a real bucket (tests/cli/download_test.ts, against fauxqs)",
  "FAUXQS_PORT=4566": "needs the aws CLI (tests/cli/sync_test.ts uploads the same tree to fauxqs)",
  "trailscraper sync --bucket trail-logs": "needs the bucket of the example above (tests/cli/sync_test.ts)",
  "trailscraper sync init sync.jsonc": "needs DescribeTrails (tests/cli/sync_archive_test.ts, against a local peer)",
  "trailscraper select --use-cloudtrail-api": "needs LookupEvents (tests/cli/select_api_test.ts, against a local peer)",
  'trailscraper changes --from "20 minutes ago"': "needs LookupEvents (tests/cli/changes_test.ts, against a peer)",
  "trailscraper sync --config sync.jsonc": "needs a second run holding the lock (tests/cli/sync_lock_test.ts)",
  "rm state.db && trailscraper sync": "needs an archive whose state was lost (tests/cli/sync_state_lost_test.ts)",
  "trailscraper validate --bucket my-trail-bucket": "needs a real bucket (tests/cli/validate_test.ts, against fauxqs)",
  "trailscraper validate --log-dir logs": "needs a clock at 03:50 UTC (tests/readme_validate_test.ts)",
};

interface Command {
  text: string;
  output: string;
}

interface Example {
  /** `docs/sync.md line 12`. */
  where: string;
  commands: Command[];
}

/** The console blocks of one file, each split into `$ ` commands (with `\` continuations) and their output. */
function examples(doc: DocFile): Example[] {
  const found: Example[] = [];
  const lines = doc.text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "```console") continue;
    const example: Example = { where: `${doc.path} line ${i + 1}`, commands: [] };
    for (i++; lines[i] !== "```"; i++) {
      const line = lines[i]!;
      if (line.startsWith("$ ")) {
        let text = line.slice(2);
        while (text.endsWith("\\")) text += "\n" + lines[++i]!;
        example.commands.push({ text, output: "" });
      } else {
        const command = example.commands.at(-1);
        assert.ok(command, `${doc.path} line ${i + 1}: output before any command`);
        command.output += line + "\n";
      }
    }
    found.push(example);
  }
  return found;
}

/** Times that differ from run to run: `in 4.1 s`, `· 125 ms_`. */
function normalise(text: string): string {
  return text.replace(/\bin \d+(?:\.\d+)? s\b/g, "in N s").replace(/ · \d+(?:\.\d+)? ?m?s_/g, " · N ms_");
}

async function runShell(command: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const setup = `set -o pipefail; trailscraper() { "${Deno.execPath()}" run --quiet --allow-all "${MAIN}" "$@"; }`;
  const out = await new Deno.Command("bash", {
    args: ["-c", `${setup}\n${command}`],
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** Stdout is what the docs show once the lines stderr wrote are taken out; every stderr line is shown. */
function assertShown(command: Command, actual: { stdout: string; stderr: string }, where: string): void {
  const shown = normalise(command.output).split("\n");
  for (const line of normalise(actual.stderr).split("\n").filter((l) => l !== "")) {
    const at = shown.indexOf(line);
    assert.ok(at >= 0, `${where}: stderr line not in the docs: ${line}`);
    shown.splice(at, 1);
  }
  const stdout = normalise(actual.stdout).replace(/\n+$/, "");
  const expected = shown.join("\n").replace(/\n+$/, "");
  if (!shown.some((l) => l.trim() === "...")) {
    assert.equal(stdout, expected, `${where}: stdout differs from the docs`);
    return;
  }
  // A line `...` stands for lines the docs leave out.
  const pattern = shown.join("\n").replace(/\n+$/, "").split("\n").map((l) =>
    l.trim() === "..." ? "(?:[^\\n]*\\n)*?" : l.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\n"
  ).join("");
  assert.match(stdout + "\n", new RegExp(`^${pattern}$`), `${where}: stdout differs from the docs`);
}

async function workDir(): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const name of ["data", "tests"]) await Deno.symlink(`${ROOT}${name}`, `${dir}/${name}`);
  return dir;
}

Deno.test("docs: every console example runs and prints what the docs show", async (t) => {
  const all = DOCS.flatMap(examples);
  assert.ok(
    all.length >= 32,
    "examples of the docs are gone (32: 22 moved from the README to docs/, 10 in the README)",
  );
  const skipped = new Set<string>();
  for (const example of all) {
    const first = example.commands[0]?.text ?? "";
    const reason = Object.keys(NOT_RUN).find((prefix) => first.startsWith(prefix));
    if (reason !== undefined) {
      skipped.add(reason);
      continue;
    }
    await t.step(`${example.where}: ${first.split("\n")[0]}`, async () => {
      const cwd = await workDir();
      for (const command of example.commands) {
        // `cat FILE` of a file the example uses shows its content: that is the input the next commands read.
        const shown = /^cat ([\w.-]+)$/.exec(command.text);
        if (shown) await Deno.writeTextFile(`${cwd}/${shown[1]}`, command.output);
        const r = await runShell(command.text, cwd);
        assertShown(command, r, `${example.where}, $ ${command.text}`);
      }
    });
  }
  assert.deepEqual([...skipped].sort(), Object.keys(NOT_RUN).sort(), "an example listed as not run is gone");
});

Deno.test("docs: the least-privilege `deno run` lines of Permissions work as shown", async () => {
  const marker = "From source, grant each command only what it needs";
  const text = docWith(DOCS, marker).text;
  const section = text.slice(text.indexOf(marker));
  const block = section.slice(section.indexOf("```sh\n") + 6, section.indexOf("```\n", section.indexOf("```sh")));
  const lines = block.replace(/\\\n\s*/g, "").split("\n").filter((l) => l.startsWith("deno run"));
  // validate needs a signed copy: the bundle check runs the same validate --log-dir --public-keys keeping read and env.
  const local = lines.filter((l) => !l.includes("--allow-net") && !l.includes(" validate "));
  assert.ok(local.length >= 3, block);
  for (const line of local) {
    const r = await runShell(line.replace(/^deno /, `"${Deno.execPath()}" `), ROOT);
    assert.equal(r.code, 0, `${line}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /error|Uncaught/i, line);
    assert.ok(r.stdout.length > 0, line);
  }
});
