/** The `changes` step: keep the tracked write events of a document that pass the filters, reduced for the report. */
import type { ChangeEvent } from "../core/changes/change_event.ts";
import { type ChangeFilter, matchingChange, textMayHoldChange } from "../core/changes/change_filter.ts";
import { countInto } from "../core/util/counts.ts";
import { documentRecords } from "../core/records/record_document.ts";
import { processingIssue } from "../core/util/processing_issue.ts";
import type { RecordStep } from "./record_step.ts";
import { BAD_LINE } from "./select_step.ts";

/** What the changes step returns for one document. */
export interface ChangesOut {
  events: ChangeEvent[];
  /** Records read (parsed) in the document. */
  records: number;
}

/** The changes step for the worker pool: only matching changes come back (small objects, cloned). */
export const changesStep: RecordStep<ChangeFilter, ChangesOut> = {
  apply(doc, filter) {
    const textLength = doc.text.length;
    if (!textMayHoldChange(doc.text)) return { ok: true, out: { events: [], records: 0 }, skipped: {}, textLength };
    const parsed = documentRecords(doc);
    if (!parsed.ok) return parsed;
    const skipped: Record<string, number> = {};
    if (parsed.badLines > 0) countInto(skipped, BAD_LINE, parsed.badLines);
    const events: ChangeEvent[] = [];
    for (const raw of parsed.records) {
      try {
        const event = matchingChange(raw, filter);
        if (event) events.push(event);
      } catch (e) {
        countInto(skipped, processingIssue(e));
      }
    }
    return { ok: true, out: { events, records: parsed.records.length }, skipped, textLength };
  },
};
