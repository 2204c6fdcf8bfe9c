/**
 * A record step: pure "filter then reduce" work on one document, named so that a
 * Web Worker can run it (functions cannot be posted, names can). The step pool runs
 * a step on every input of a source and posts back only what the step returns.
 */
import type { RecordDocument } from "../core/records/record_document.ts";

/** What a step made of one document, or why the document was skipped. */
export type StepResult<Out> =
  | { ok: true; out: Out; skipped: Record<string, number>; textLength: number }
  | { ok: false; issue: string };

/** A pure step: no I/O, no clock; the same params and document give the same result. */
export interface RecordStep<Params, Out> {
  apply(doc: RecordDocument, params: Params): StepResult<Out>;
  /** Loads what `apply` needs for `params` and the step's module does not import (big tables); awaited before every job, so it must be cheap once done. */
  load?(params: Params): Promise<void>;
  /** Input characters between full garbage collections in a worker (default 32 Mi; see step_worker.ts). */
  gcEveryChars?: number;
  /** The buffers of `out` to move to the receiving thread instead of copying them. */
  transferables?(out: Out): ArrayBuffer[];
}
