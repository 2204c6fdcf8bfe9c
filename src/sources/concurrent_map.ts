/** Async work over a stream with bounded concurrency, results in completion order. */

/**
 * Calls `work` for the items of `items` with at most `limit` calls in flight or
 * finished and not yet taken, and yields each result as it completes. A rejection is
 * thrown to the consumer; `work` handles the errors it can.
 */
export async function* mapConcurrent<T, R>(
  items: AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const source = items[Symbol.asyncIterator]();
  const running = new Map<number, Promise<{ id: number; result: R }>>();
  let id = 0;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && running.size < limit) {
        const next = await source.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const n = id++;
        running.set(n, work(next.value).then((result) => ({ id: n, result })));
      }
      if (running.size === 0) return;
      const { id: done, result } = await Promise.race(running.values());
      running.delete(done);
      yield result;
    }
  } finally {
    await source.return?.();
  }
}
