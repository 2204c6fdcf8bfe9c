/** An in-memory Io for running commands in-process. */
import type { Io } from "../../src/runtime/io.ts";
import type { Clock } from "../../src/core/util/clock.ts";
import { systemClock } from "../../src/sources/system_clock.ts";
import { run } from "../../src/cli/run.ts";
import { TEST_AWS_ENV } from "./aws_env.ts";

/** What a command run produced. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  stdin?: string | Uint8Array;
  /** The command's environment, over {@link TEST_AWS_ENV}; `undefined` unsets a variable. */
  env?: Record<string, string | undefined>;
  stdinIsTerminal?: boolean;
  stderrIsTerminal?: boolean;
  /** Virtual time for pacing, backoff and waits (default: the system clock). */
  clock?: Clock;
  /** Presses Ctrl-C when the test says so. */
  interrupt?: InterruptSwitch;
  /** Records what each command asked to keep (in-process runs never revoke the test's own permissions). */
  permissionsKept?: string[][];
}

/** A Ctrl-C a test can press. */
export class InterruptSwitch {
  readonly listeners = new Set<() => void>();
  press(): void {
    for (const listener of this.listeners) listener();
  }
}

function streamOf(input: string | Uint8Array): ReadableStream<Uint8Array> {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  return new ReadableStream({
    start(controller) {
      // Small chunks so stream parsing across chunk boundaries is always exercised.
      for (let i = 0; i < bytes.length; i += 7919) controller.enqueue(bytes.subarray(i, i + 7919));
      controller.close();
    },
  });
}

/** Runs the CLI in-process with `args`, capturing stdout and stderr separately. */
export async function runCli(args: string[], options: RunCliOptions = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const env = { ...TEST_AWS_ENV, ...options.env };
  const io: Io = {
    stdin: streamOf(options.stdin ?? ""),
    stdinIsTerminal: options.stdinIsTerminal ?? false,
    stdout: {
      write: (t) => Promise.resolve(void (stdout += t)),
      writeBytes: (b) => Promise.resolve(void (stdout += new TextDecoder().decode(b))),
    },
    stderr: {
      write: (t) => Promise.resolve(void (stderr += t)),
      writeBytes: (b) => Promise.resolve(void (stderr += new TextDecoder().decode(b))),
    },
    stderrIsTerminal: options.stderrIsTerminal ?? false,
    env: (name) => env[name],
    clock: options.clock ?? systemClock,
    dropPermissions: (keep) => {
      options.permissionsKept?.push([...keep]);
      return Promise.resolve([...keep]);
    },
    onInterrupt: (listener) => {
      options.interrupt?.listeners.add(listener);
      return () => void options.interrupt?.listeners.delete(listener);
    },
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}
