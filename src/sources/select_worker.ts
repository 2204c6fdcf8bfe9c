/// <reference lib="deno.worker" />
/**
 * Web Worker for `select` and friends: reads, gunzips, parses and filters one log
 * file per message, and posts back only the matching records, already serialised.
 */
import { RECORD_SEPARATORS, selectRecords } from "../core/record_selector.ts";
import type { FileJob, FileResult } from "./select_protocol.ts";
import { readLogFileText } from "./log_file_text.ts";

const encoder = new TextEncoder();

/** Runs one job; shared with the in-process path of the pool. */
export function runFileJob(job: FileJob): FileResult {
  const file = readLogFileText(job.path);
  if (!file.ok) return { id: job.id, ok: false, issue: file.issue };
  const selection = selectRecords(file.text, job.filter, job.format);
  if (!selection.ok) return { id: job.id, ok: false, issue: selection.issue };
  const bytes = encoder.encode(selection.records.join(RECORD_SEPARATORS[job.format]));
  return {
    id: job.id,
    ok: true,
    bytes,
    matched: selection.records.length,
    skipped: selection.skipped,
    textLength: file.text.length,
  };
}

// With --v8-flags=--expose-gc (the binary has it), a full collection every ~32 MB of
// input keeps this isolate's old generation small: each file's parsed records
// outlive a scavenge, and V8 would otherwise let them pile up to hundreds of MB.
const collect = (globalThis as { gc?: () => void }).gc;
const GC_EVERY_BYTES = 32 << 20;
let sinceCollect = 0;

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  self.onmessage = (event: MessageEvent<FileJob>) => {
    const result = runFileJob(event.data);
    if (collect && result.ok) {
      sinceCollect += result.textLength;
      if (sinceCollect >= GC_EVERY_BYTES) {
        sinceCollect = 0;
        collect();
      }
    }
    self.postMessage(result, result.ok ? [result.bytes.buffer as ArrayBuffer] : []);
  };
}
