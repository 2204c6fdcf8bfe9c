/**
 * Virtual time for tests: `sleep` does not wait; a macrotask later the earliest
 * timer fires and the clock jumps to its time. Pacing and backoff run at full speed
 * and tests assert on the virtual times, never on wall-clock rates.
 */
import type { Clock } from "../../src/core/util/clock.ts";

interface Timer {
  at: number;
  resolve: () => void;
}

/** A clock that only moves when something sleeps. */
export class VirtualClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[] = [];
  /** Called with each sleep's duration as it starts (a test can press Ctrl-C or change the world there); the timer fires after it settles. */
  onSleep: ((ms: number) => void | Promise<void>) | undefined;

  constructor(start = Date.UTC(2024, 2, 2)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    const hook = Promise.resolve(this.onSleep?.(ms));
    if (signal?.aborted || ms <= 0) return hook;
    return new Promise((resolve) => {
      const timer: Timer = { at: this.#now + ms, resolve };
      const abort = () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        resolve();
      };
      signal?.addEventListener("abort", abort, { once: true });
      timer.resolve = () => {
        signal?.removeEventListener("abort", abort);
        resolve();
      };
      this.#timers.push(timer);
      hook.finally(() => setTimeout(() => this.#fireEarliest(), 0));
    });
  }

  #fireEarliest(): void {
    if (this.#timers.length === 0) return;
    const earliest = this.#timers.reduce((a, b) => (b.at < a.at ? b : a));
    this.#timers = this.#timers.filter((t) => t !== earliest);
    this.#now = Math.max(this.#now, earliest.at);
    earliest.resolve();
  }
}
