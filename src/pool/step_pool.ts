/**
 * Runs a named record step on every input of a source, on a pool of Web Workers,
 * and yields the results in input order. At most `window` inputs are in flight or
 * waiting to be yielded, so memory stays flat however many there are. With
 * `workers: 0` every job runs in this thread.
 */
import type { StepResult } from "../steps/record_step.ts";
import type { StepName, StepOut, StepParams } from "../steps/registry.ts";
import type { RecordInput } from "../sources/record_input.ts";
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
  /** Why the input was processed again in this thread: the worker it was on died (the result is this thread's). */
  retried?: string;
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

/** A worker of the pool and the jobs it holds; `failed` once it died (it gets no more jobs). */
interface Slot {
  worker: Worker;
  jobs: Set<number>;
  failed?: string;
}

/**
 * Yields `{ input, result }` for every input, in the order the inputs came. A worker
 * that dies takes no input with it: the jobs it held run again in this thread (their
 * outcomes say so in `retried`) and the pool goes on with the workers left, or in this
 * thread when none is.
 */
export async function* runStep<N extends StepName>(
  inputs: AsyncIterable<RecordInput>,
  options: StepPoolOptions<N>,
): AsyncGenerator<StepOutcome<N>> {
  // Without the permission to read the worker's modules (`deno run --allow-read=logs`) the work stays in this thread.
  const stayInThread = !options.started?.length && (options.workers <= 0 || !(await canLoadWorker()));
  if (stayInThread) {
    let id = 0;
    for await (const input of inputs) {
      if (options.signal?.aborted) return;
      yield { input, result: typed<N>(await runInThread(options, id++, input)) };
    }
    return;
  }
  yield* new StepRun(inputs, options).outcomes();
}

/** The job of input `id` for the step of `options`. */
function jobOf<N extends StepName>(options: StepPoolOptions<N>, id: number, input: RecordInput): StepJob {
  return { id, step: options.step, params: options.params, input };
}

/** Runs the job of input `id` in this thread. */
async function runInThread<N extends StepName>(
  options: StepPoolOptions<N>,
  id: number,
  input: RecordInput,
): Promise<StepReply> {
  return (await runStepJob(jobOf(options, id, input))).reply;
}

function typed<N extends StepName>(reply: StepReply): StepResult<StepOut<N>> {
  return reply.result as StepResult<StepOut<N>>;
}

/** One run of the pool over its inputs: it owns the workers' slots and the replies not yet yielded. */
class StepRun<N extends StepName> {
  readonly #window: number;
  readonly #results = new Map<number, StepReply>();
  readonly #retried = new Map<number, string>();
  readonly #inputById = new Map<number, RecordInput>();
  readonly #slots: Slot[];
  readonly #source: AsyncIterator<RecordInput>;
  #wake: (() => void) | undefined;
  #exhausted = false;
  #nextId = 0;
  #nextOut = 0;

  constructor(inputs: AsyncIterable<RecordInput>, private readonly options: StepPoolOptions<N>) {
    this.#window = (options.started?.length ?? options.workers) * JOBS_PER_WORKER * 2;
    this.#slots = (options.started ?? Array.from({ length: options.workers }, () => undefined)).map((started) =>
      this.#slot(started ?? new Worker(WORKER_URL, { type: "module" }))
    );
    this.#source = inputs[Symbol.asyncIterator]();
  }

  readonly #notify = () => {
    this.#wake?.();
    this.#wake = undefined;
  };

  #slot(worker: Worker): Slot {
    const slot: Slot = { worker, jobs: new Set() };
    slot.worker.onmessage = (event: MessageEvent<StepReply>) => {
      if (!slot.jobs.delete(event.data.id)) return;
      this.#results.set(event.data.id, event.data);
      this.#notify();
    };
    slot.worker.onerror = (event) => {
      event.preventDefault();
      slot.failed = `${this.options.step} worker failed: ${event.message}`;
      slot.worker.terminate();
      this.#notify();
    };
    return slot;
  }

  async *outcomes(): AsyncGenerator<StepOutcome<N>> {
    const signal = this.options.signal;
    signal?.addEventListener("abort", this.#notify, { once: true });
    try {
      for (;;) {
        await this.#rescue();
        await this.#fill();
        const reply = this.#results.get(this.#nextOut);
        if (reply) {
          yield this.#take(reply);
          continue;
        }
        if (this.#exhausted && this.#nextOut === this.#nextId) return;
        if (signal?.aborted && !this.#exhausted) {
          this.#exhausted = true;
          continue;
        }
        if (this.#slots.some((s) => s.failed !== undefined && s.jobs.size > 0)) continue;
        await new Promise<void>((resolve) => (this.#wake = resolve));
      }
    } finally {
      signal?.removeEventListener("abort", this.#notify);
      for (const { worker } of this.#slots) worker.terminate();
      await this.#source.return?.();
    }
  }

  /** Runs again in this thread the jobs of the workers that died. */
  async #rescue(): Promise<void> {
    for (const slot of this.#slots) {
      if (slot.failed === undefined || slot.jobs.size === 0) continue;
      for (const id of [...slot.jobs].sort((a, b) => a - b)) {
        slot.jobs.delete(id);
        this.#results.set(id, await runInThread(this.options, id, this.#inputById.get(id)!));
        this.#retried.set(id, slot.failed);
      }
    }
  }

  /** Hands inputs to the least busy live worker while the window and the workers have room. */
  async #fill(): Promise<void> {
    while (!this.#exhausted && this.#nextId < this.#nextOut + this.#window) {
      const live = this.#slots.filter((s) => s.failed === undefined);
      const slot = live.length ? live.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a)) : undefined;
      if (slot && slot.jobs.size >= JOBS_PER_WORKER) break;
      const next = this.options.signal?.aborted ? { done: true as const } : await this.#source.next();
      if (next.done) {
        this.#exhausted = true;
        break;
      }
      const id = this.#nextId++;
      this.#inputById.set(id, next.value);
      if (!slot) { // every worker died: this thread takes the rest
        this.#results.set(id, await runInThread(this.options, id, next.value));
        break;
      }
      slot.jobs.add(id);
      // Copied, not transferred: the input stays here until its result, to be run again if the worker dies.
      slot.worker.postMessage(jobOf(this.options, id, next.value));
    }
  }

  /** The outcome of the next input in order, forgotten here. */
  #take(reply: StepReply): StepOutcome<N> {
    const id = this.#nextOut++;
    this.#results.delete(id);
    const input = this.#inputById.get(id)!;
    const why = this.#retried.get(id);
    this.#inputById.delete(id);
    this.#retried.delete(id);
    return { input, result: typed<N>(reply), ...(why === undefined ? {} : { retried: why }) };
  }
}
