/** The decisions of `download`, as data: what to fetch, when it will be done, whether to wait for more. */

/** True when a listed object must be fetched: it is not there, or not with the size S3 reports. */
export function needsDownload(remoteSize: number, localSize: number | undefined): boolean {
  return localSize !== remoteSize;
}

/** What the transfer so far says about the rest. */
export interface TransferState {
  /** Every day folder has been listed, so `plannedBytes` is the total. */
  listed: boolean;
  plannedBytes: number;
  bytes: number;
  seconds: number;
}

/** Seconds until the planned bytes are in at the rate so far; undefined while listing goes on or nothing has arrived. */
export function etaSeconds(state: TransferState): number | undefined {
  const rate = state.bytes / Math.max(state.seconds, 0.001);
  if (!state.listed || rate <= 0) return undefined;
  return Math.ceil((state.plannedBytes - state.bytes) / rate);
}

/** What `--wait` does after a pass. */
export type WaitDecision = "caught-up" | "wait" | "give-up";

/** Options of {@link waitDecision}. */
export interface WaitState {
  /** The newest event in the downloaded set, if any. */
  newest: number | undefined;
  /** The end of the range (`--to`). */
  to: number;
  now: number;
  deadline: number;
  intervalMs: number;
}

/** Caught up when an event after `--to` is there; else wait another interval, or give up if that passes the deadline. */
export function waitDecision(state: WaitState): WaitDecision {
  if (state.newest !== undefined && state.newest > state.to) return "caught-up";
  return state.now + state.intervalMs > state.deadline ? "give-up" : "wait";
}
