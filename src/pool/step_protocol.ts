/** Messages between the step pool and its workers. */
import type { StepName } from "../steps/registry.ts";
import type { StepResult } from "../steps/record_step.ts";
import type { RecordInput } from "../sources/record_input.ts";

/** Run step `step` with `params` on one input. */
export interface StepJob {
  id: number;
  step: StepName;
  params: unknown;
  input: RecordInput;
}

/** The step's result for job `id` (its buffers transferred, not copied). */
export interface StepReply {
  id: number;
  result: StepResult<unknown>;
}

/** Asks a worker to answer once its module has loaded (see `startWorkers`). */
export interface StepPing {
  ping: true;
}
