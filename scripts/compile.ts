// deno-lint-ignore-file no-console
/**
 * Builds one self-contained binary per target into dist/, IAM data embedded.
 * `deno compile` downloads the `denort` runtime for each target from Deno's servers
 * (or uses DENORT_BIN), so this needs a networked machine.
 *
 * Run: deno task compile [--dry-run] [target-suffix ...]
 */
import { compileArgs, TARGETS } from "./build_plan.ts";

const dryRun = Deno.args.includes("--dry-run");
const wanted = Deno.args.filter((a) => !a.startsWith("--"));
const targets = TARGETS.filter((t) => wanted.length === 0 || wanted.includes(t.suffix));
let failed = 0;
for (const target of targets) {
  const args = compileArgs(target);
  console.error(`deno ${args.join(" ")}`);
  if (dryRun) continue;
  const { code } = await new Deno.Command(Deno.execPath(), { args, stdout: "inherit", stderr: "inherit" }).output();
  if (code !== 0) {
    failed++;
    console.error(`compile for ${target.target} failed (exit ${code}); it needs network access to fetch denort`);
  }
}
Deno.exit(failed > 0 ? 1 : 0);
