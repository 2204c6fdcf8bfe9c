/** trailscraper: the only place that exits. */
import { denoIo } from "./src/runtime/io.ts";
import { run } from "./src/cli/run.ts";

if (import.meta.main) {
  Deno.exit(await run(Deno.args, denoIo()));
}
