/**
 * Incremental parser for CloudTrail records on a text stream. It accepts any mix of
 * `{"Records": [...]}` documents (what CloudTrail files and `select` hold) and JSON
 * Lines (one record per line): each top-level object whose first key is `Records`
 * has its array elements streamed out one by one, any other top-level value is one
 * record (a value that is not an object is passed on for the consumer to skip and count). It never holds more than one record (or one non-Records object) in memory.
 */

import { jsonErrorOffset } from "../util/json_error_offset.ts";

/** A parse failure with its position in the input (1-based line and column). */
export class JsonStreamError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(line > 0 ? `${message} at line ${line} column ${column}` : message);
    this.name = "JsonStreamError";
  }
}

/**
 * Where a parser takes over from bulk parsing (`core/records/bulk_records.ts`): at the start
 * of an element of a Records array, or of a top-level value, with the input position
 * of its first character (1-based) for error messages.
 */
export interface ResumePoint {
  inside: "elements" | "top";
  line: number;
  column: number;
}

const enum State {
  Top,
  Elements,
  AfterElement,
  RestOfObject,
}

const NEED_MORE = -1;
// An incomplete value is parsed again only after the buffer grew by this much (or doubled): no quadratic re-scans.
const MIN_RETRY_GROWTH = 65536;
/** The longest value (record) read: a real record is at most a few MB; V8's longest string is ~512 Mi characters. */
const MAX_VALUE_CHARS = 256 << 20;

/** Options of {@link RecordStreamParser}. */
export interface RecordStreamOptions {
  /** The longest value it buffers before failing (default 256 Mi characters). */
  maxValueChars?: number;
}
/** Keys that tell a lone CloudTrail record from some other JSON object. */
export const RECORD_KEYS = ["eventName", "eventSource", "eventTime", "eventVersion", "userIdentity"];

/** Feeds text chunks in, gets parsed records out. */
export class RecordStreamParser {
  readonly #maxValue: number;
  #buf = "";
  #pos = 0;
  #state = State.Top;
  #consumedChars = 0; // chars dropped from the front of #buf
  #consumedLines = 0; // newlines in them
  #lastLineStart = 0; // absolute offset where the last dropped line started
  #retryAt = 0; // do not retry an incomplete value before the buffer reaches this length
  #sawValue = false;

  constructor(resume?: ResumePoint, options: RecordStreamOptions = {}) {
    this.#maxValue = options.maxValueChars ?? MAX_VALUE_CHARS;
    if (!resume) return;
    this.#state = resume.inside === "elements" ? State.Elements : State.Top;
    this.#sawValue = true;
    this.#consumedLines = resume.line - 1;
    this.#lastLineStart = 1 - resume.column;
  }

  /** Adds a chunk of text; returns the records completed by it. */
  push(chunk: string): unknown[] {
    this.#buf += chunk;
    if (this.#buf.length < this.#retryAt) return [];
    const out: unknown[] = [];
    this.#run(out, false);
    this.#compact();
    return out;
  }

  /** Ends the input; returns the last records or throws when the input was incomplete or empty. */
  end(): unknown[] {
    const out: unknown[] = [];
    this.#retryAt = 0;
    this.#run(out, true);
    if (this.#state !== State.Top) this.#fail("unexpected end of input", this.#buf.length);
    if (!this.#sawValue) throw new JsonStreamError("no input", 0, 0);
    return out;
  }

  // deno-lint-ignore trailscraper/function-size -- the streaming parser's token switch, its hottest loop
  #run(out: unknown[], final: boolean): void {
    const buf = this.#buf;
    for (;;) {
      let i = skipWhitespace(buf, this.#pos);
      if (i >= buf.length) return;
      const c = buf[i];
      switch (this.#state) {
        case State.Top: {
          if (c !== "{") {
            // A top-level value that is not an object (a JSON Lines line like `5` or `[1]`) is one record, which
            // the consumer skips and counts as it does the same element inside a Records array.
            const end = this.#valueEnd(i, final);
            if (end === NEED_MORE) return;
            const value = this.#parse(i, end);
            if (isRecordArray(value)) this.#fail(`an array of records: wrap it as {"Records": [...]}`, i);
            out.push(value);
            this.#sawValue = true;
            this.#pos = end;
            continue;
          }
          const records = this.#recordsArrayStart(i, final);
          if (records === NEED_MORE) return;
          this.#sawValue = true;
          if (records > 0) {
            this.#pos = records;
            this.#state = State.Elements;
            continue;
          }
          const end = this.#valueEnd(i, final);
          if (end === NEED_MORE) return;
          const value = this.#parse(i, end);
          this.#pos = end;
          out.push(...this.#topLevelObject(value, i));
          continue;
        }
        case State.Elements:
        case State.AfterElement: {
          if (c === "]") {
            this.#pos = i + 1;
            this.#state = State.RestOfObject;
            continue;
          }
          if (this.#state === State.AfterElement) {
            if (c !== ",") this.#fail(`expected ',' or ']' in "Records", found ${describe(buf, i)}`, i);
            i = skipWhitespace(buf, i + 1);
            if (i >= buf.length) return;
          }
          const end = this.#valueEnd(i, final);
          if (end === NEED_MORE) return;
          out.push(this.#parse(i, end));
          this.#pos = end;
          this.#state = State.AfterElement;
          continue;
        }
        case State.RestOfObject: {
          if (c === "}") {
            this.#pos = i + 1;
            this.#state = State.Top;
            continue;
          }
          if (c !== ",") this.#fail(`expected ',' or '}', found ${describe(buf, i)}`, i);
          // Another key after "Records": skip `"key": value` (a second "Records" fails: JSON.parse would keep only it).
          const k = skipWhitespace(buf, i + 1);
          const keyEnd = stringEnd(buf, k);
          if (keyEnd === NEED_MORE) return;
          if (this.#parse(k, keyEnd) === "Records") {
            this.#fail(`a second "Records" key in one object: which records are meant is unclear`, k);
          }
          const colon = skipWhitespace(buf, keyEnd);
          if (colon >= buf.length) return;
          if (buf[colon] !== ":") this.#fail(`expected ':', found ${describe(buf, colon)}`, colon);
          const v = skipWhitespace(buf, colon + 1);
          if (v >= buf.length) return;
          const end = this.#valueEnd(v, final);
          if (end === NEED_MORE) return;
          this.#parse(v, end); // validates it
          this.#pos = end;
          continue;
        }
      }
    }
  }

  /** At `{`: the index after `[` when the first key is "Records" with an array value, 0 when not. */
  #recordsArrayStart(open: number, final: boolean): number {
    const buf = this.#buf;
    const k = skipWhitespace(buf, open + 1);
    if (k >= buf.length) return final ? 0 : NEED_MORE;
    if (buf[k] !== '"') return 0;
    const keyEnd = stringEnd(buf, k);
    if (keyEnd === NEED_MORE) return final ? 0 : NEED_MORE;
    if (buf.slice(k, keyEnd) !== '"Records"') return 0;
    const colon = skipWhitespace(buf, keyEnd);
    const v = skipWhitespace(buf, colon + 1);
    if (v >= buf.length) return final ? 0 : NEED_MORE;
    if (buf[colon] !== ":" || buf[v] !== "[") return 0;
    return v + 1;
  }

  #valueEnd(start: number, final: boolean): number {
    const end = valueEnd(this.#buf, start);
    if (end === NEED_MORE) {
      if (final && !'{["'.includes(this.#buf[start]!)) return this.#buf.length; // a scalar ends with the input
      if (final) this.#fail("unexpected end of input", this.#buf.length);
      if (this.#buf.length - start > this.#maxValue) {
        this.#fail(`a value longer than ${this.#maxValue} characters: no CloudTrail record is that large`, start);
      }
      // Wait for the buffer to grow before scanning this value again (keeps huge values linear), but not past the
      // limit by much: a value without end must fail before the text outgrows the longest string V8 holds.
      const grown = this.#buf.length + Math.max(MIN_RETRY_GROWTH, this.#buf.length - start);
      this.#retryAt = Math.min(grown, start + this.#maxValue + 1);
    }
    return end;
  }

  #parse(start: number, end: number): unknown {
    try {
      return JSON.parse(this.#buf.slice(start, end));
    } catch {
      const text = this.#buf.slice(start, end);
      const at = jsonErrorOffset(text);
      const found = at >= text.length ? "end of input" : `'${text[at]}'`;
      return this.#fail(`invalid JSON: unexpected ${found}`, start + Math.max(at, 0));
    }
  }

  /** A top-level object that is not a streamed Records document: a record, or Records found later. */
  #topLevelObject(value: unknown, at: number): unknown[] {
    const obj = value as Record<string, unknown>;
    if (Object.hasOwn(obj, "Records")) {
      if (!Array.isArray(obj.Records)) this.#fail(`"Records" is not an array`, at);
      return obj.Records;
    }
    if (!RECORD_KEYS.some((k) => Object.hasOwn(obj, k))) {
      this.#fail(`no "Records" key and not a CloudTrail record`, at);
    }
    return [obj];
  }

  #compact(): void {
    const keep = this.#pos;
    if (keep === 0) return;
    const dropped = this.#buf.slice(0, keep);
    let nl = dropped.indexOf("\n");
    let last = -1;
    while (nl !== -1) {
      this.#consumedLines++;
      last = nl;
      nl = dropped.indexOf("\n", nl + 1);
    }
    if (last !== -1) this.#lastLineStart = this.#consumedChars + last + 1;
    this.#consumedChars += keep;
    this.#buf = this.#buf.slice(keep);
    this.#pos = 0;
    this.#retryAt = this.#retryAt > 0 ? Math.max(0, this.#retryAt - keep) : 0;
  }

  #fail(message: string, offset: number): never {
    const before = this.#buf.slice(0, offset);
    let line = this.#consumedLines + 1;
    let lineStart = this.#lastLineStart;
    for (let i = before.indexOf("\n"); i !== -1; i = before.indexOf("\n", i + 1)) {
      line++;
      lineStart = this.#consumedChars + i + 1;
    }
    throw new JsonStreamError(message, line, this.#consumedChars + offset - lineStart + 1);
  }
}

/** True for an array holding a CloudTrail record: a shape mistake to name, not one record to skip. */
export function isRecordArray(value: unknown): boolean {
  return Array.isArray(value) &&
    value.some((v) => typeof v === "object" && v !== null && RECORD_KEYS.some((k) => Object.hasOwn(v, k)));
}

function describe(buf: string, i: number): string {
  return `'${buf[i]}'`;
}

function skipWhitespace(buf: string, i: number): number {
  for (; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) break;
  }
  return i;
}

/** True for the characters of JSON numbers and literals: `0-9 a-z A-Z + - .`. */
function isScalarChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2b ||
    c === 0x2d || c === 0x2e;
}

/** At `"`: the index after the closing quote, or NEED_MORE. */
function stringEnd(buf: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = buf.indexOf('"', i);
    if (q === -1) return NEED_MORE;
    let backslashes = 0;
    for (let j = q - 1; j > start && buf.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/**
 * The index just after the JSON value starting at `start`, or NEED_MORE when the
 * buffer ends first. Only brackets and strings are tracked; JSON.parse validates.
 */
function valueEnd(buf: string, start: number): number {
  const first = buf.charCodeAt(start);
  if (first === 0x22) return stringEnd(buf, start);
  if (first !== 0x7b && first !== 0x5b) {
    // A scalar (number, true, false, null) ends at a delimiter; at the end of the buffer it may continue. A character
    // no scalar holds ends it too, for JSON.parse to name (NUL bytes without end must not be buffered as one scalar).
    for (let i = start; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c === 0x2c || c === 0x5d || c === 0x7d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return i;
      if (!isScalarChar(c)) return i + 1;
    }
    return NEED_MORE;
  }
  let depth = 0;
  for (let i = start; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(buf, i);
      if (end === NEED_MORE) return NEED_MORE;
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
    }
  }
  return NEED_MORE;
}
