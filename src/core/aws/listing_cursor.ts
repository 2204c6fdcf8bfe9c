/**
 * Where a listing may resume: keys are listed in order but finish out of order, and
 * the cursor only moves past a key once it and every key listed before it are done.
 */
export class ListingCursor {
  #pending: { key: string; done: boolean }[] = [];
  #head = 0;
  #last: string | undefined;

  /** A key was listed (keys must come in listing order). */
  listed(key: string): void {
    this.#pending.push({ key, done: false });
  }

  /** A listed key is recorded (done or failed). Returns the new resume position if it moved. */
  finished(key: string): string | undefined {
    const entry = this.#pending.find((p, i) => i >= this.#head && p.key === key);
    if (entry) entry.done = true;
    const before = this.#last;
    while (this.#head < this.#pending.length && this.#pending[this.#head]!.done) {
      this.#last = this.#pending[this.#head]!.key;
      this.#head++;
    }
    if (this.#head > 1024) {
      this.#pending = this.#pending.slice(this.#head);
      this.#head = 0;
    }
    return this.#last !== before ? this.#last : undefined;
  }
}

/**
 * Where to start listing `prefix` again: at the start of the day folder of the
 * cursor's key (`…/YYYY/MM/DD/`), so files delivered late into that day are still
 * found; keys already recorded are passed over without a GET.
 */
export function resumeAfter(prefix: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined || !cursor.startsWith(prefix)) return undefined;
  const day = /^(\d{4}\/\d{2}\/\d{2}\/)/.exec(cursor.slice(prefix.length));
  return day ? prefix + day[1] : undefined;
}
