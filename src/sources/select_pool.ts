/**
 * Runs file jobs on a pool of Web Workers and yields the results in input order.
 * At most `window` files are in flight or waiting to be yielded, so memory stays
 * flat however many files there are. With `workers: 0` it runs in this thread.
 */
import type { RecordFilter, RecordFormat } from "../core/record_selector.ts";
import type { FileJob, FileResult } from "./select_protocol.ts";
import { runFileJob } from "./select_worker.ts";

/** Options of {@link selectFiles}. */
export interface SelectFilesOptions {
  filter: RecordFilter;
  format: RecordFormat;
  /** Web Workers to use; 0 runs every job in this thread. */
  workers: number;
}

// Under `deno run` the worker is this folder's .ts file; in a bundle it is the .js entry beside the chunk.
const WORKER_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./select_worker.ts" : "./select_worker.js",
  import.meta.url,
);

/** Yields `{ path, result }` for every path, in the order the paths came. */
export async function* selectFiles(
  paths: AsyncIterable<string>,
  options: SelectFilesOptions,
): AsyncGenerator<{ path: string; result: FileResult }> {
  const job = (id: number, path: string): FileJob => ({ id, path, filter: options.filter, format: options.format });
  if (options.workers <= 0) {
    let id = 0;
    for await (const path of paths) yield { path, result: runFileJob(job(id++, path)) };
    return;
  }

  const perWorker = 2; // one running, one queued: hides the message round trip
  const window = options.workers * perWorker * 2;
  const results = new Map<number, FileResult>();
  const pathById = new Map<number, string>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const workers = Array.from({ length: options.workers }, () => {
    const worker = new Worker(WORKER_URL, { type: "module" });
    const slot = { worker, inFlight: 0 };
    worker.onmessage = (event: MessageEvent<FileResult>) => {
      slot.inFlight--;
      results.set(event.data.id, event.data);
      notify();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      failure = new Error(`select worker failed: ${event.message}`);
      notify();
    };
    return slot;
  });

  const source = paths[Symbol.asyncIterator]();
  let exhausted = false;
  let nextId = 0;
  let nextOut = 0;
  try {
    for (;;) {
      while (!exhausted && nextId < nextOut + window) {
        const slot = workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
        if (slot.inFlight >= perWorker) break;
        const next = await source.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        pathById.set(nextId, next.value);
        slot.inFlight++;
        slot.worker.postMessage(job(nextId++, next.value));
      }
      if (failure) throw failure;
      const result = results.get(nextOut);
      if (result) {
        results.delete(nextOut);
        const path = pathById.get(nextOut)!;
        pathById.delete(nextOut++);
        yield { path, result };
        continue;
      }
      if (exhausted && nextOut === nextId) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    for (const { worker } of workers) worker.terminate();
    await source.return?.();
  }
}
