/**
 * A `sync --rebuild-state` that dies (SIGKILL, as a crash or `kill -9`) right after a step, for tests of what the
 * next run does: `deno run -A rebuild_and_die.ts <step> <state db> <events dir> <trail>...`, where the trails are
 * written as `sync` writes them (`s3://<bucket>/<prefix>`).
 */
import { rebuildState, type RebuildStep } from "../../src/state/state_rebuild.ts";

const [step, stateDb, eventsDir, ...trails] = Deno.args;
await rebuildState(stateDb!, { eventsDir: eventsDir!, trails }, {
  onStep: (done: RebuildStep) => {
    if (done === step) Deno.kill(Deno.pid, "SIGKILL");
  },
});
await Deno.stderr.write(new TextEncoder().encode(`rebuild_and_die: the rebuild never reached step "${step}"\n`));
Deno.exit(3);
