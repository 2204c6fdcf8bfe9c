import assert from "node:assert/strict";
import { Command, Option } from "@commander-js/extra-typings";
import { addHiddenAlias } from "../../src/cli/option_alias.ts";
import { positiveInt } from "../../src/cli/option_parsers.ts";
import { runCli } from "../helpers/fake_io.ts";

function program() {
  const command = new Command("t").exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} })
    .addOption(new Option("--downloads <n>", "in flight").argParser(positiveInt("--downloads", 1)).default(10));
  addHiddenAlias(command, new Option("--parallelism <n>").argParser(positiveInt("--parallelism", 1)), "--downloads");
  return command;
}

Deno.test("addHiddenAlias() sets the new option from the old name, the last given wins", () => {
  assert.equal(program().parse(["--parallelism", "3"], { from: "user" }).opts().downloads, 3);
  assert.equal(program().parse(["--downloads", "4", "--parallelism", "3"], { from: "user" }).opts().downloads, 3);
  assert.equal(program().parse(["--parallelism", "3", "--downloads", "4"], { from: "user" }).opts().downloads, 4);
  assert.equal(program().parse([], { from: "user" }).opts().downloads, 10);
});

Deno.test("addHiddenAlias() checks the old name's value under its own name and hides it from the help", () => {
  assert.throws(() => program().parse(["--parallelism", "0"], { from: "user" }), /--parallelism takes a whole number/);
  assert.doesNotMatch(program().helpInformation(), /parallelism/);
});

Deno.test("the old concurrency names of download and sync are hidden aliases of --downloads and --workers", async () => {
  for (const command of ["download", "sync"]) {
    const help = (await runCli([command, "--help"])).stdout;
    assert.match(help, /--downloads <n>/);
    assert.doesNotMatch(help, /--parallelism|--download-workers|--process-workers/);
  }
  assert.match((await runCli(["sync", "--help"])).stdout, /--workers <n>/);
  const bad = await runCli(["sync", "--process-workers", "x"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--process-workers takes a whole number/);
});

Deno.test("a usage error ends with the help of the command it concerns", async () => {
  const cases: [string[], string][] = [
    [["genrate"], "trailscraper --help"],
    [["generate", "--bogus"], "trailscraper generate --help"],
    [["sync", "init", "--bogus"], "trailscraper sync init --help"],
    [["changes", "--from", "now", "--to", "2020-01-01"], "trailscraper changes --help"],
  ];
  for (const [args, help] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.ok(r.stderr.endsWith(`\nRun '${help}' for usage.\n`), r.stderr);
  }
});
