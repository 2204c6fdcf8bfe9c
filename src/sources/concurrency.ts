/** Runs async work with bounded concurrency. */

/**
 * Calls `work` for every item of `items` with at most `limit` calls in flight,
 * pulling items only as slots free up (so a lazy source is never read ahead by
 * more than `limit`). Resolves when all calls have settled; `work` handles its own errors.
 */
export async function forEachConcurrent<T>(
  items: AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  for await (const item of items) {
    const task = work(item).finally(() => running.delete(task));
    running.add(task);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
}
