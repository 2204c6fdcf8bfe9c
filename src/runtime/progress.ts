/** A one-line progress display on stderr, only when stderr is a terminal. */
import type { Io } from "./io.ts";

/** How often the progress line may be rewritten. */
const REDRAW_EVERY_MS = 200;

/** Rewrites one stderr line at most every {@link REDRAW_EVERY_MS} ms; silent when stderr is not a TTY. */
export class Progress {
  #last = 0;
  #shown = false;
  constructor(private readonly io: Io, private readonly label: string, private readonly clock = () => Date.now()) {}

  /** Shows `text` if the last update is old enough. */
  async update(text: string): Promise<void> {
    if (!this.io.stderrIsTerminal) return;
    const now = this.clock();
    if (now - this.#last < REDRAW_EVERY_MS) return;
    this.#last = now;
    this.#shown = true;
    await this.io.stderr.write(`\r\x1b[2K${this.label}: ${text}`);
  }

  /** Clears the progress line before the summary. */
  async done(): Promise<void> {
    if (this.#shown) await this.io.stderr.write("\r\x1b[2K");
  }
}
