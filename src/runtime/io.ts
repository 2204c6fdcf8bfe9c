/** The process's streams and environment, injectable so commands run in tests without a process. */
import type { Clock } from "../core/util/clock.ts";
import { systemClock } from "../sources/system_clock.ts";
import { PERMISSION_KINDS, type PermissionKind } from "./command_permissions.ts";
import { BrokenPipe } from "./errors.ts";
import { readStdinSync, stdinStream } from "./stdin_stream.ts";

/** Somewhere to write text, or bytes that are already UTF-8. */
export interface TextSink {
  write(text: string): Promise<void>;
  writeBytes(bytes: Uint8Array): Promise<void>;
}

/** What a command may touch of the outside world, besides its own sources. */
export interface Io {
  stdin: ReadableStream<Uint8Array>;
  /**
   * Stdin read synchronously (the byte count, or null at its end), where that is safe: when it is no terminal (a file or
   * a pipe: a read returns what is there). For bulk reading (`sources/stdin_chunks.ts`); `stdin` must not be read then.
   */
  readStdinSync?: (buffer: Uint8Array) => number | null;
  stdinIsTerminal: boolean;
  stdout: TextSink;
  stderr: TextSink;
  stderrIsTerminal: boolean;
  env(name: string): string | undefined;
  /** The time and timers: the system clock, or a virtual one in tests. */
  clock: Clock;
  /** Calls `listener` on Ctrl-C (SIGINT) until the returned function is called. */
  onInterrupt(listener: () => void): () => void;
  /** Revokes every Deno permission but `keep`; returns the kinds still granted (tests record, never revoke). */
  dropPermissions(keep: readonly PermissionKind[]): Promise<PermissionKind[]>;
}

function sink(file: { write(p: Uint8Array): Promise<number> }): TextSink {
  const encoder = new TextEncoder();
  const writeBytes = async (data: Uint8Array) => {
    let bytes = data;
    try {
      while (bytes.length > 0) bytes = bytes.subarray(await file.write(bytes));
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) throw new BrokenPipe("stdout closed", { cause: e });
      throw e;
    }
  };
  return { write: (text) => writeBytes(encoder.encode(text)), writeBytes };
}

/** The real process streams. */
export function denoIo(): Io {
  return {
    stdin: stdinStream(Deno.stdin.readable),
    ...(Deno.stdin.isTerminal() ? {} : { readStdinSync }),
    stdinIsTerminal: Deno.stdin.isTerminal(),
    stdout: sink(Deno.stdout),
    stderr: sink(Deno.stderr),
    stderrIsTerminal: Deno.stderr.isTerminal(),
    // A variable the process may not read is as good as unset (run without --allow-env, the defaults apply).
    env: (name) =>
      Deno.permissions.querySync({ name: "env", variable: name }).state === "granted" ? Deno.env.get(name) : undefined,
    clock: systemClock,
    onInterrupt: (listener) => {
      try {
        Deno.addSignalListener("SIGINT", listener);
      } catch {
        return () => {}; // a platform without SIGINT
      }
      return () => Deno.removeSignalListener("SIGINT", listener);
    },
    dropPermissions: async (keep) => {
      for (const name of PERMISSION_KINDS) if (!keep.includes(name)) await Deno.permissions.revoke({ name });
      const granted: PermissionKind[] = [];
      for (const name of PERMISSION_KINDS) {
        if ((await Deno.permissions.query({ name })).state === "granted") granted.push(name);
      }
      return granted;
    },
  };
}
