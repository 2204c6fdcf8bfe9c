/** Applies the select filters to one page of LookupEvents results (`CloudTrailEvent` JSON strings). */
import { countInto } from "../output/counts.ts";
import { type RecordFilter, type RecordFormat, selectRecords } from "./record_selector.ts";

/** Matching records of a page, serialised, and skipped events by reason. */
export interface PageSelection {
  records: string[];
  skipped: Record<string, number>;
}

/** Filters a page like a log file (one parse for the page); an unparseable event is skipped and counted alone. */
export function selectEventPage(events: string[], filter: RecordFilter, format: RecordFormat): PageSelection {
  const whole = events.every((e) => e.trim() !== "")
    ? selectRecords(`{"Records": [${events.join(", ")}]}`, filter, format)
    : undefined;
  if (whole?.ok) return { records: whole.records, skipped: whole.skipped };
  const page: PageSelection = { records: [], skipped: {} };
  for (const event of events) {
    const one = event.trim() === "" ? undefined : selectRecords(`{"Records": [${event}]}`, filter, format);
    if (!one?.ok) {
      countInto(page.skipped, "unparseable CloudTrailEvent");
      continue;
    }
    page.records.push(...one.records);
    for (const [issue, n] of Object.entries(one.skipped)) countInto(page.skipped, issue, n);
  }
  return page;
}
