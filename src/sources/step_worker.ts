/// <reference lib="deno.worker" />
/**
 * Web Worker of the step pool: reads one input per message (gunzip included), runs
 * the named record step on it and posts back only the step's result.
 */
import { STEPS } from "../steps/registry.ts";
import type { RecordStep } from "../steps/record_step.ts";
import { readInput } from "./record_input.ts";
import type { StepJob, StepPing, StepReply } from "./step_protocol.ts";

/** Runs one job; shared with the in-thread path of the pool. Returns the reply and the buffers to transfer. */
export function runStepJob(job: StepJob): { reply: StepReply; transfer: ArrayBuffer[] } {
  const read = readInput(job.input);
  if (!read.ok) return { reply: { id: job.id, result: read }, transfer: [] };
  const step = STEPS[job.step] as RecordStep<unknown, unknown>;
  const result = step.apply(read.doc, job.params);
  const transfer = result.ok && step.transferables ? step.transferables(result.out) : [];
  return { reply: { id: job.id, result }, transfer };
}

// With --v8-flags=--expose-gc (the binary has it), a full collection every ~32 MB of
// input keeps this isolate's old generation small: each document's parsed records
// outlive a scavenge, and V8 would otherwise let them pile up to hundreds of MB.
const collect = (globalThis as { gc?: () => void }).gc;
const GC_EVERY_BYTES = 32 << 20;
let sinceCollect = 0;

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  const loaded = new Map<string, Promise<void>>();
  self.onmessage = async (event: MessageEvent<StepJob | StepPing>) => {
    if ("ping" in event.data) {
      self.postMessage({ ping: true });
      return;
    }
    const job = event.data;
    const step = STEPS[job.step] as RecordStep<unknown, unknown>;
    if (step.load) {
      let load = loaded.get(job.step);
      if (!load) loaded.set(job.step, load = step.load());
      await load;
    }
    const { reply, transfer } = runStepJob(job);
    if (collect && reply.result.ok) {
      sinceCollect += reply.result.textLength;
      if (sinceCollect >= (step.gcEveryChars ?? GC_EVERY_BYTES)) {
        sinceCollect = 0;
        collect();
      }
    }
    self.postMessage(reply, transfer);
  };
}
