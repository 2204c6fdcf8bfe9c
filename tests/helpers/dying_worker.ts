/// <reference lib="deno.worker" />
/**
 * A step worker that dies: it answers the pool's ping like `step_worker.ts`, then throws
 * an uncaught error on its first job (as a worker does that runs out of stack or memory
 * outside a step's own error handling). For the pool's tests of a worker that dies.
 */
self.onmessage = (event: MessageEvent<{ ping?: true }>) => {
  if (event.data.ping) {
    self.postMessage({ ping: true });
    return;
  }
  throw new RangeError("Maximum call stack size exceeded");
};
