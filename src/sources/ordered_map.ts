/** Async work over a stream with bounded concurrency, results in input order. */

/**
 * Calls `work` for the items of `items` with at most `limit` calls in flight and
 * yields the results in the order of the items (a slow one holds back the ones after
 * it, never more than `limit`). A rejection is thrown to the consumer when its turn comes.
 */
export async function* mapOrdered<T, R>(
  items: AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const queue: Promise<R>[] = [];
  for await (const item of items) {
    const result = work(item);
    result.catch(() => {}); // seen when its turn comes; until then it must not count as unhandled
    queue.push(result);
    if (queue.length >= limit) yield await queue.shift()!;
  }
  while (queue.length > 0) yield await queue.shift()!;
}
