/** Runs a command and measures wall time and peak memory, for the benchmarks. */

/** Options of {@link measureCommand}. */
export interface MeasureOptions {
  /** A file the command reads as its stdin (opened by the shell, as `cmd < file`: no copying process in between). */
  stdinFile?: string;
  /** Keep stdout (else it goes to /dev/null). */
  captureStdout?: boolean;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** What {@link measureCommand} measured. */
export interface Measurement {
  seconds: number;
  /** Peak resident memory (VmHWM from /proc, Linux; 0 elsewhere). Reading another Deno process's entry needs -A. */
  peakMb: number;
  /** CPU seconds (user + system) the process used, as last seen in /proc (Linux; 0 elsewhere). */
  cpuSeconds: number;
  stdout: string;
  stderr: string;
}

/** Runs `cmd args`, polling its peak memory every 20 ms; throws when it fails. */
export async function measureCommand(cmd: string, args: string[], options: MeasureOptions = {}): Promise<Measurement> {
  const start = performance.now();
  // `exec` keeps the pid: the command itself is what /proc shows.
  const [program, programArgs] = options.stdinFile
    ? ["sh", ["-c", 'f="$1"; shift; exec "$@" < "$f"', "sh", options.stdinFile, cmd, ...args]]
    : [cmd, args];
  const child = new Deno.Command(program, {
    args: programArgs,
    stdin: "null",
    stdout: options.captureStdout ? "piped" : "null",
    stderr: "piped",
    ...(options.env ? { env: options.env } : {}),
  }).spawn();
  let peakKb = 0;
  let cpuTicks = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
      // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime, stime in clock ticks.
      const stat = Deno.readTextFileSync(`/proc/${child.pid}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpuTicks = Math.max(cpuTicks, Number(fields[11]) + Number(fields[12]));
    } catch { /* the process has exited */ }
  }, 20);
  const out = await child.output();
  clearInterval(poll);
  const seconds = (performance.now() - start) / 1000;
  const decode = (b: Uint8Array | null) => (b ? new TextDecoder().decode(b) : "");
  const stderr = decode(out.stderr);
  if (out.code !== 0) throw new Error(`${cmd} failed (exit ${out.code}): ${stderr}`);
  return {
    seconds,
    peakMb: peakKb / 1024,
    cpuSeconds: cpuTicks / 100,
    stdout: options.captureStdout ? decode(out.stdout) : "",
    stderr,
  };
}
