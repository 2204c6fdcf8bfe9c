/** Entries per page: pages are added, never copied. */
const PAGE = 1 << 16;

/**
 * 32-bit integers by index, in pages of 64 Ki: a list that grows by copying leaves its old copies as garbage until a
 * full collection (at a million records, ~60 MB more at the peak of `check`). An index never set reads as `empty`.
 */
export class PagedInts {
  readonly #pages: Int32Array[] = [];
  /** One more than the highest index set. */
  length = 0;

  constructor(readonly empty = 0) {}

  get(i: number): number {
    const page = this.#pages[Math.floor(i / PAGE)];
    return page ? page[i % PAGE]! : this.empty;
  }

  set(i: number, value: number): void {
    const p = Math.floor(i / PAGE);
    while (this.#pages.length <= p) this.#pages.push(new Int32Array(PAGE).fill(this.empty));
    this.#pages[p]![i % PAGE] = value;
    if (i >= this.length) this.length = i + 1;
  }

  push(value: number): void {
    this.set(this.length, value);
  }

  /** Adds `n` to the integer at `i`. */
  add(i: number, n: number): void {
    this.set(i, this.get(i) + n);
  }
}
