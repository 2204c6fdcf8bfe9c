/**
 * Where each record of a `{"Records": [...]}` document lies, for a document that JSON.parse
 * took (so only valid JSON comes here), and how deep each record nests. One iterative pass:
 * any depth. Lets `sync` read a file record by record when one record is too deep to read
 * with a reviver, so only that record is skipped.
 */
import { stringEnd } from "../records/record_scan.ts";
import { CLOSE_ARRAY, CLOSE_OBJECT, COMMA, isSpace, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from "../util/json_bytes.ts";

/** One element of the `Records` array: `text[start, end)`, nesting `depth` levels (0 for a scalar). */
export interface RecordSpan {
  start: number;
  end: number;
  depth: number;
}

/** The spans of the last top-level `Records` array (the one JSON.parse keeps), or undefined when there is none. */
export function recordSpans(text: string): RecordSpan[] | undefined {
  let depth = 0;
  let found: RecordSpan[] | undefined;
  let spans: RecordSpan[] | undefined; // while inside the Records array
  let keyNext = false; // at depth 1, the next string is a key
  let recordsKey = false; // the value that comes next at depth 1 is that of a "Records" key
  let start = -1;
  let deepest = 0;
  const endElement = (at: number) => {
    let end = at;
    while (isSpace(text.charCodeAt(end - 1))) end--;
    spans!.push({ start, end, depth: deepest - 2 });
    start = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (spans && depth === 2 && start < 0 && c !== COMMA && c !== CLOSE_ARRAY) {
      start = i;
      deepest = 2;
    }
    if (c === QUOTE) {
      const close = stringEnd(text, i, text.length);
      if (depth === 1 && keyNext) {
        recordsKey = JSON.parse(text.slice(i, close + 1)) === "Records";
        keyNext = false;
      } else if (depth === 1) recordsKey = false;
      i = close;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (depth === 1) keyNext = true;
      if (depth === 2) {
        if (recordsKey && c === OPEN_ARRAY) spans = [];
        recordsKey = false;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 2 && spans) {
        if (start >= 0) endElement(i);
        found = spans;
        spans = undefined;
      }
      depth--;
    } else if (c === COMMA) {
      if (depth === 1) keyNext = true;
      else if (depth === 2 && spans && start >= 0) endElement(i);
    } else if (depth === 1 && c !== 0x3a) recordsKey = false; // a number, true, false or null
  }
  return found;
}
