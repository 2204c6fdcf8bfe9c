/** Async work over a stream with bounded concurrency, results in completion order. */

type Finished<R> = { kind: "finished"; id: number; result: R };
type Listed<T> = { kind: "listed"; next: IteratorResult<T> };

/**
 * Calls `work` for the items of `items` with at most `limit` calls in flight or
 * finished and not yet taken, and yields each result as it completes. A rejection is
 * thrown to the consumer; `work` handles the errors it can. Finished work is yielded while
 * the source is still working on its next item (a slow listing page does not hold back
 * the downloads done before it, nor their commits).
 */
export async function* mapConcurrent<T, R>(
  items: AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const source = items[Symbol.asyncIterator]();
  const running = new Map<number, Promise<Finished<R>>>();
  let listing: Promise<Listed<T>> | undefined;
  let id = 0;
  let exhausted = false;
  try {
    for (;;) {
      if (!exhausted && !listing && running.size < limit) {
        listing = source.next().then((next): Listed<T> => ({ kind: "listed", next }));
      }
      if (!listing && running.size === 0) return;
      const waiting: Promise<Finished<R> | Listed<T>>[] = [...running.values()];
      if (listing) waiting.unshift(listing);
      const first = await Promise.race(waiting);
      if (first.kind === "finished") {
        running.delete(first.id);
        yield first.result;
        continue;
      }
      listing = undefined;
      if (first.next.done) exhausted = true;
      else {
        const n = id++;
        running.set(n, work(first.next.value).then((result): Finished<R> => ({ kind: "finished", id: n, result })));
      }
    }
  } finally {
    // A source still working on its next item closes once that step ends: not awaited, so that a listing page that
    // never comes back cannot hold the consumer that stopped.
    if (listing) void listing.then(() => source.return?.()).catch(() => {});
    else await source.return?.();
  }
}
