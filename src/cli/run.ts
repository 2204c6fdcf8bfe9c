/** argv -> command -> exit code. Every error becomes a message and an exit code here. */
import { CommanderError } from "@commander-js/extra-typings";
import { BrokenPipe, InputError, Interrupted, SourceError, UsageError } from "../runtime/errors.ts";
import { escapeControl } from "../output/escape_control.ts";
import type { Io } from "../runtime/io.ts";
import { buildProgram, type CommanderOutput } from "./program.ts";
import { EndpointVariableError } from "../sources/endpoint_url.ts";

/** Exit codes of every command. */
const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

function causeChain(error: unknown): string {
  const lines: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) lines.push(e.stack ?? String(e));
  return lines.join("\nCaused by: ") + "\n";
}

async function flush(io: Io, output: CommanderOutput): Promise<void> {
  if (output.out.length) await io.stdout.write(output.out.join(""));
  if (output.err.length) await io.stderr.write(output.err.join(""));
  output.out.length = output.err.length = 0;
}

/** Runs the CLI with `args` (without the program name) and returns the exit code. */
export async function run(args: string[], io: Io): Promise<number> {
  const output: CommanderOutput = { out: [], err: [] };
  const program = buildProgram(io, output);
  const verbose = args.includes("--verbose");
  try {
    if (args.filter((a) => a !== "--verbose").length === 0) {
      program.outputHelp({ error: true });
      await flush(io, output);
      return EXIT.usage;
    }
    await program.parseAsync(args, { from: "user" });
    await flush(io, output);
    return EXIT.ok;
  } catch (error) {
    try {
      await flush(io, output);
      return await report(error, io, { verbose, helpCommand: output.helpCommand ?? "trailscraper --help" });
    } catch (e) {
      if (e instanceof BrokenPipe) return EXIT.ok;
      throw e;
    }
  }
}

async function report(
  error: unknown,
  io: Io,
  { verbose, helpCommand }: { verbose: boolean; helpCommand: string },
): Promise<number> {
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander already printed the message
  }
  if (error instanceof BrokenPipe) return EXIT.ok;
  if (error instanceof Interrupted) {
    await io.stderr.write(`interrupted: ${escapeControl(error.message)}\n`);
    return EXIT.interrupted;
  }
  if (error instanceof UsageError || error instanceof EndpointVariableError) {
    await io.stderr.write(`error: ${escapeControl(error.message)}\nRun '${helpCommand}' for usage.\n`);
    return EXIT.usage;
  }
  if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
    await io.stderr.write(`error: ${escapeControl(error.message)}\n`);
    if (verbose) await io.stderr.write(causeChain(error));
    return EXIT.failure;
  }
  const known = error instanceof InputError || error instanceof SourceError;
  // Not errorMessage() (core/util): no core module is loaded at startup (tests/cli/process_test.ts).
  const message = error instanceof Error ? error.message : String(error);
  await io.stderr.write(`error: ${known ? "" : "unexpected failure: "}${escapeControl(message)}\n`);
  if (verbose) await io.stderr.write(causeChain(error));
  else if (!known) await io.stderr.write("Run again with --verbose for a stack trace, and please report it.\n");
  return EXIT.failure;
}
