/**
 * Runs a named record step on every input of a source, on a pool of Web Workers,
 * and yields the results in input order. At most `window` inputs are in flight or
 * waiting to be yielded, so memory stays flat however many there are. With
 * `workers: 0` every job runs in this thread.
 */
import type { StepResult } from "../steps/record_step.ts";
import type { StepName, StepOut, StepParams } from "../steps/registry.ts";
import type { RecordInput } from "./record_input.ts";
import type { StepJob, StepPing, StepReply } from "./step_protocol.ts";
import { runStepJob } from "./step_worker.ts";

/** Options of {@link runStep}. */
export interface StepPoolOptions<N extends StepName> {
  step: N;
  params: StepParams<N>;
  /** Web Workers to use; 0 runs every job in this thread. */
  workers: number;
  /** Stops feeding inputs; the generator then ends after the results in flight. */
  signal?: AbortSignal;
  /** Workers already started by {@link startWorkers} (used instead of `workers` new ones; terminated at the end). */
  started?: Worker[];
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

/** What the worker's module graph reads: its module, and from source the data tables it imports (`data/`). */
const WORKER_READS = import.meta.url.endsWith(".ts")
  ? [WORKER_URL, new URL("../../data/", import.meta.url)]
  : [WORKER_URL];

/** True when the process may read every file the worker's module graph loads (a worker that cannot fails to start). */
async function canLoadWorker(): Promise<boolean> {
  if (WORKER_URL.protocol !== "file:") return true;
  for (const path of WORKER_READS) {
    if ((await Deno.permissions.query({ name: "read", path })).state !== "granted") return false;
  }
  return true;
}

/**
 * Starts `count` workers and resolves once each has loaded its module and answered a
 * ping: after that the process may drop the permission to read its own files. None
 * when the process may not read the worker's module.
 */
export async function startWorkers(count: number): Promise<Worker[]> {
  // Without the permission to read the worker's module (`deno run` without flags) the work stays in this thread.
  if (count <= 0 || !(await canLoadWorker())) return [];
  const workers = Array.from({ length: count }, () => new Worker(WORKER_URL, { type: "module" }));
  try {
    await Promise.all(workers.map((worker) =>
      new Promise<void>((resolve, reject) => {
        worker.onmessage = () => resolve();
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(`worker failed to start: ${event.message}`));
        };
        worker.postMessage({ ping: true } satisfies StepPing);
      })
    ));
  } catch (e) {
    for (const worker of workers) worker.terminate();
    throw e;
  }
  return workers;
}

/** Yields `{ input, result }` for every input, in the order the inputs came. */
export async function* runStep<N extends StepName>(
  inputs: AsyncIterable<RecordInput>,
  options: StepPoolOptions<N>,
): AsyncGenerator<StepOutcome<N>> {
  const job = (id: number, input: RecordInput): StepJob => ({ id, step: options.step, params: options.params, input });
  const typed = (reply: StepReply) => reply.result as StepResult<StepOut<N>>;
  // Without the permission to read the worker's modules (`deno run --allow-read=logs`) the work stays in this thread.
  const inThread = !options.started?.length && (options.workers <= 0 || !(await canLoadWorker()));
  if (inThread) {
    let id = 0;
    for await (const input of inputs) {
      if (options.signal?.aborted) return;
      yield { input, result: typed(runStepJob(job(id++, input)).reply) };
    }
    return;
  }

  const window = (options.started?.length ?? options.workers) * JOBS_PER_WORKER * 2;
  const results = new Map<number, StepReply>();
  const inputById = new Map<number, RecordInput>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const workers = (options.started ?? Array.from({ length: options.workers }, () => undefined)).map((started) => {
    const worker = started ?? new Worker(WORKER_URL, { type: "module" });
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
