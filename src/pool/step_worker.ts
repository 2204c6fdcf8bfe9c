/// <reference lib="deno.worker" />
/**
 * Web Worker of the step pool: reads one input per message (gunzip included), runs
 * the named record step on it and posts back only the step's result.
 */
import { STEPS } from "../steps/registry.ts";
import { processingIssue } from "../core/util/processing_issue.ts";
import type { RecordStep, StepResult } from "../steps/record_step.ts";
import { readInput } from "../sources/record_input.ts";
import type { StepJob, StepPing, StepReply } from "./step_protocol.ts";

/**
 * Runs one job; shared with the in-thread path of the pool. Awaits the step's `load()`
 * first (a failure to load is no fault of the input: it throws). An input the step
 * cannot process (it throws: too deep, too large, a bug on odd data) comes back as an
 * issue. Returns the reply and the buffers to transfer.
 */
export async function runStepJob(job: StepJob): Promise<{ reply: StepReply; transfer: ArrayBuffer[] }> {
  const step = STEPS[job.step] as RecordStep<unknown, unknown>;
  await step.load?.(job.params);
  let result: StepResult<unknown>;
  try {
    const read = readInput(job.input);
    result = read.ok ? step.apply(read.doc, job.params) : read;
  } catch (e) {
    result = { ok: false, issue: processingIssue(e) };
  }
  const transfer = result.ok && step.transferables ? step.transferables(result.out) : [];
  return { reply: { id: job.id, result }, transfer };
}

// With --v8-flags=--expose-gc (the binary has it), a full collection every 32 Mi characters of input text
// (textLength: UTF-16 code units, not bytes) keeps this isolate's old generation small: each document's parsed
// records outlive a scavenge, and V8 would otherwise let them pile up to hundreds of MB.
const collect = (globalThis as { gc?: () => void }).gc;
const GC_EVERY_CHARS = 32 << 20;
let sinceCollect = 0;

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  self.onmessage = async (event: MessageEvent<StepJob | StepPing>) => {
    if ("ping" in event.data) {
      self.postMessage({ ping: true });
      return;
    }
    const job = event.data;
    const { reply, transfer } = await runStepJob(job);
    if (collect && reply.result.ok) {
      sinceCollect += reply.result.textLength;
      if (sinceCollect >= ((STEPS[job.step] as RecordStep<unknown, unknown>).gcEveryChars ?? GC_EVERY_CHARS)) {
        sinceCollect = 0;
        collect();
      }
    }
    self.postMessage(reply, transfer);
  };
}
