/** Runs a command to completion with optional stdin text, for the checks: exit code, stdout and stderr as text. */

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  cwd?: string;
  stdin?: string;
  env?: Record<string, string>;
}

/** What a command printed and how it ended. */
export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns `cmd args`, writes `stdin` (if any) and waits for it. */
export async function runCommand(cmd: string, args: string[], options: RunCommandOptions = {}): Promise<CommandOutput> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env } : {}),
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}
