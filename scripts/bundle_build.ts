/**
 * Builds what `deno compile` would ship, offline: `main.ts` and every worker bundled
 * to flat files in one folder (the bundled code loads `./<worker>.js` beside itself),
 * and the `deno run` arguments that run it with exactly the binary's flags.
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
  for (const entry of ["main.ts", ...WORKERS]) {
    const out = `${dir}/${entry.split("/").pop()!.replace(/\.ts$/, ".js")}`;
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--frozen", "-o", out, entry],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (result.code !== 0) throw new Error(`deno bundle ${entry} failed: ${new TextDecoder().decode(result.stderr)}`);
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
