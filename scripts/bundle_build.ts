/**
 * Builds what `deno compile` would ship, offline: `main.ts` bundled with code
 * splitting (each lazily imported command, the AWS SDK, the IAM data and the MCP SDK
 * stay in chunks of their own, parsed only when a command imports them, as in the
 * binary), and every worker as one flat file beside the chunks (the bundled code loads
 * `./<worker>.js` beside itself); and the `deno run` arguments that run it with
 * exactly the binary's flags.
 */
import { PERMISSIONS, V8_FLAGS, WORKERS } from "./build_plan.ts";

const root = new URL("..", import.meta.url).pathname;

/** A built bundle: its folder and how to run it. */
export interface Bundle {
  dir: string;
  /** `deno run` arguments before the command's own: the binary's permissions and V8 flags, then main.js. */
  runArgs: (options?: { bare?: boolean }) => string[];
}

/** Bundles main.ts and the workers into `dir`; throws with deno's output when bundling fails. */
export async function buildBundle(dir: string): Promise<Bundle> {
  const bundle = async (args: string[], entry: string) => {
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--frozen", ...args, entry],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (result.code !== 0) throw new Error(`deno bundle ${entry} failed: ${new TextDecoder().decode(result.stderr)}`);
  };
  await bundle(["--code-splitting", "--outdir", dir], "main.ts");
  for (const worker of WORKERS) {
    await bundle(["-o", `${dir}/${worker.split("/").pop()!.replace(/\.ts$/, ".js")}`], worker);
  }
  return {
    dir,
    runArgs: ({ bare = false } = {}) => [
      "run",
      "--quiet",
      "--no-config",
      "--no-lock",
      "--no-prompt",
      ...(bare ? [] : PERMISSIONS),
      ...V8_FLAGS,
      `${dir}/main.js`,
    ],
  };
}
