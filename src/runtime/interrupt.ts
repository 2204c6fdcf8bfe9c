/** Ctrl-C as an AbortSignal, for the commands that stop gracefully (download, sync). */
import type { Io } from "./io.ts";

/** Runs `work` with a signal that aborts on Ctrl-C; the listener is removed when it ends. */
export async function withInterrupt<T>(io: Io, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = io.onInterrupt(() => controller.abort());
  try {
    return await work(controller.signal);
  } finally {
    stop();
  }
}
