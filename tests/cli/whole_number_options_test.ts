/**
 * Every whole-number option of every command refuses a number past its maximum (Number.MAX_SAFE_INTEGER, or a smaller
 * documented one) with a usage error naming the option: before, 400 digits became Infinity (`null` in the JSON) and
 * `--workers 100000` started that many Web Workers.
 */
import assert from "node:assert/strict";
import type { Command } from "@commander-js/extra-typings";
import { buildProgram } from "../../src/cli/program.ts";
import { runCli } from "../helpers/fake_io.ts";

/** What a whole-number option's value is called in its flags. */
const NUMBER_PLACEHOLDER = /<(n|seconds|minutes|chars)>$/;

/** Options the command checks itself (after parsing), with what else it needs to get that far. */
const CHECKED_BY_COMMAND: Record<string, string[]> = {
  "changes --lookback": ["--log-dir", "data/sample/incident"],
  "changes --max-events": ["--log-dir", "data/sample/incident"],
  "changes --per-category": ["--log-dir", "data/sample/incident"],
};

/** The documented maxima below Number.MAX_SAFE_INTEGER. */
const MAXIMA: Record<string, number> = {
  "--workers": 256,
  "--process-workers": 256,
  "--wait-interval": 86_400,
  "--lookback": 52_560_000,
};

/** [command path, option] of every option whose value is a whole number, hidden aliases included. */
function numberOptions(): [string[], string][] {
  const program = buildProgram({} as never, { out: [], err: [] }) as unknown as Command;
  const found: [string[], string][] = [];
  const walk = (command: Command, path: string[]) => {
    for (const option of command.options) {
      if (NUMBER_PLACEHOLDER.test(option.flags) && option.long) found.push([path, option.long]);
    }
    for (const sub of command.commands) walk(sub as Command, [...path, sub.name()]);
  };
  walk(program, []);
  return found;
}

Deno.test("every whole-number option refuses a number past its maximum, naming the option", async (t) => {
  const options = numberOptions();
  // The walk finds what it should: the options of download, sync, select, changes, generate and validate.
  for (const expected of ["download --downloads", "sync --workers", "changes --max-events", "generate --max-size"]) {
    assert.ok(options.some(([path, long]) => `${path.join(" ")} ${long}` === expected), expected);
  }
  for (const [path, long] of options) {
    const name = `${path.join(" ")} ${long}`;
    const max = MAXIMA[long] ?? Number.MAX_SAFE_INTEGER;
    for (const value of [String(max + 1), "9".repeat(400)]) {
      await t.step(`${name} ${value.length > 20 ? "<400 digits>" : value}`, async () => {
        // An unknown option after it: a value the parser let through stops there (no workers, no S3), not the test.
        const rest = CHECKED_BY_COMMAND[name] ?? ["--no-such-option"];
        const r = await runCli([...path, long, value, ...rest]);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, new RegExp(`^error: .*${long} takes .*at most ${max}`, "m"), r.stderr);
        assert.equal(r.stderr.split("\n").filter((line) => line.startsWith("error:")).length, 1, r.stderr);
      });
    }
  }
});

Deno.test("a whole-number option takes its maximum itself", async () => {
  const incident = ["changes", "--log-dir", "data/sample/incident", "--format", "json"];
  const r = await runCli([...incident, "--max-events", String(Number.MAX_SAFE_INTEGER), "--per-category", "256"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).metadata.maxEvents, Number.MAX_SAFE_INTEGER);
});

Deno.test("AWS_CLOUDTRAIL_MAX_EVENTS past Number.MAX_SAFE_INTEGER is a usage error, as --max-events", async () => {
  const r = await runCli(["changes", "--log-dir", "data/sample/incident"], {
    env: { AWS_CLOUDTRAIL_MAX_EVENTS: "9".repeat(400) },
  });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^error: --max-events takes a whole number of at most 9007199254740991, got "9{400}"$/m);
});
