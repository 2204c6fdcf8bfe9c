/**
 * One full garbage collection, where the binary's --v8-flags=--expose-gc provides it (elsewhere nothing). `generate`
 * and `check` call it between reading the records and building their answer: the input's garbage (records that
 * outlived a scavenge) would otherwise still fill the heap while the answer is built, the run's peak of memory.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
