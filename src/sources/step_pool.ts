/**
 * Runs a named record step on every input of a source, on a pool of Web Workers,
 * and yields the results in input order. At most `window` inputs are in flight or
 * waiting to be yielded, so memory stays flat however many there are. With
 * `workers: 0` every job runs in this thread.
 */
import type { StepResult } from "../steps/record_step.ts";
import type { StepName, StepOut, StepParams } from "../steps/registry.ts";
import type { RecordInput } from "./record_input.ts";
import type { StepJob, StepReply } from "./step_protocol.ts";
import { runStepJob } from "./step_worker.ts";

/** Options of {@link runStep}. */
export interface StepPoolOptions<N extends StepName> {
  step: N;
  params: StepParams<N>;
  /** Web Workers to use; 0 runs every job in this thread. */
  workers: number;
  /** Stops feeding inputs; the generator then ends after the results in flight. */
  signal?: AbortSignal;
}

/** One input and what the step made of it. */
export interface StepOutcome<N extends StepName> {
  input: RecordInput;
  result: StepResult<StepOut<N>>;
}

/** Jobs per worker: one running, one queued, which hides the message round trip. */
const JOBS_PER_WORKER = 2;

// Under `deno run` the worker is this folder's .ts file; in a bundle it is the .js entry beside the chunk.
const WORKER_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./step_worker.ts" : "./step_worker.js",
  import.meta.url,
);

/** Yields `{ input, result }` for every input, in the order the inputs came. */
export async function* runStep<N extends StepName>(
  inputs: AsyncIterable<RecordInput>,
  options: StepPoolOptions<N>,
): AsyncGenerator<StepOutcome<N>> {
  const job = (id: number, input: RecordInput): StepJob => ({ id, step: options.step, params: options.params, input });
  const typed = (reply: StepReply) => reply.result as StepResult<StepOut<N>>;
  if (options.workers <= 0) {
    let id = 0;
    for await (const input of inputs) {
      if (options.signal?.aborted) return;
      yield { input, result: typed(runStepJob(job(id++, input)).reply) };
    }
    return;
  }

  const window = options.workers * JOBS_PER_WORKER * 2;
  const results = new Map<number, StepReply>();
  const inputById = new Map<number, RecordInput>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const workers = Array.from({ length: options.workers }, () => {
    const worker = new Worker(WORKER_URL, { type: "module" });
    const slot = { worker, inFlight: 0 };
    worker.onmessage = (event: MessageEvent<StepReply>) => {
      slot.inFlight--;
      results.set(event.data.id, event.data);
      notify();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      failure = new Error(`${options.step} worker failed: ${event.message}`);
      notify();
    };
    return slot;
  });
  options.signal?.addEventListener("abort", notify, { once: true });

  const source = inputs[Symbol.asyncIterator]();
  let exhausted = false;
  let nextId = 0;
  let nextOut = 0;
  try {
    for (;;) {
      while (!exhausted && nextId < nextOut + window) {
        const slot = workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
        if (slot.inFlight >= JOBS_PER_WORKER) break;
        const next = options.signal?.aborted ? { done: true as const } : await source.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const input = next.value;
        inputById.set(nextId, input.kind === "bytes" ? { ...input, bytes: new Uint8Array() } : input);
        slot.inFlight++;
        slot.worker.postMessage(
          job(nextId++, input),
          input.kind === "bytes" ? [input.bytes.buffer as ArrayBuffer] : [],
        );
      }
      if (failure) throw failure;
      const reply = results.get(nextOut);
      if (reply) {
        results.delete(nextOut);
        const input = inputById.get(nextOut)!;
        inputById.delete(nextOut++);
        yield { input, result: typed(reply) };
        continue;
      }
      if (exhausted && nextOut === nextId) return;
      if (options.signal?.aborted && !exhausted) {
        exhausted = true;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    options.signal?.removeEventListener("abort", notify);
    for (const { worker } of workers) worker.terminate();
    await source.return?.();
  }
}
