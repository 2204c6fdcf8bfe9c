/**
 * A scanner for the few top-level fields `sync` needs of a record (`eventID`,
 * `recipientAccountId`, `awsRegion`, `eventTime`, `userIdentity.accountId`), without
 * building the record: one pass that jumps from quote to quote, checks that brackets
 * pair up and that nothing but JSON tokens lie between strings, and ends exactly at
 * the record's closing brace. What it cannot vouch for comes back undefined, and the
 * caller parses the document instead.
 */
import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  isSpace,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
} from "../util/json_bytes.ts";

/** A value that is there and is neither a string nor null (a number, a boolean, an array, an object). */
const OTHER = true;

/** The fields of a record that place and key it, in the shape `archivePartitionOf` and `dedupKey` read. */
export type ScannedRecord = Record<string, unknown> & { userIdentity?: unknown };

/** A character of a number or of `true`, `false`, `null`. */
function isBareChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || (c >= 0x61 && c <= 0x7a) ||
    c === 0x45;
}

/** Where the string opened at `start` closes (the closing quote), or -1 when it does not close before `end`. */
export function stringEnd(text: string, start: number, end: number): number {
  let at = text.indexOf('"', start + 1);
  while (at !== -1 && at < end) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

/** The string's value (JSON.parse only when it has escapes); undefined when an escape is invalid. */
function stringValue(text: string, start: number, close: number): string | undefined {
  const raw = text.slice(start + 1, close);
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(text.slice(start, close + 1)) as string;
  } catch {
    return undefined;
  }
}

/** The wanted name a key spells, "" for another key, undefined for a key with escapes (the caller gives up). */
function keyName(text: string, start: number, close: number, names: readonly string[]): string | undefined {
  for (let i = start + 1; i < close; i++) if (text.charCodeAt(i) === BACKSLASH) return undefined;
  const length = close - start - 1;
  for (const name of names) if (name.length === length && text.startsWith(name, start + 1)) return name;
  return "";
}

const TOP = ["eventID", "recipientAccountId", "awsRegion", "eventTime", "userIdentity"] as const;
const IDENTITY = ["accountId"] as const;
const BARE = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

/** What may come next: a value, a key, either of them or the container's close, or a comma or close. */
const Expect = { Value: 0, ValueOrClose: 1, Key: 2, KeyOrClose: 3, Next: 4 } as const;

/** Deeper than this, a record is not archived: it could not be read back (JSON.parse with a reviver recurses). */
export const MAX_RECORD_DEPTH = 1000;

/** A record that nests deeper than {@link MAX_RECORD_DEPTH}. */
export const TOO_DEEP = "too deep";

/**
 * The placing fields of the record text in `text[start, end)`, or undefined when that
 * text is not one JSON object (unbalanced, cut, a comma or colon missing or extra, or
 * with something else that is not JSON). Control characters inside strings and escapes
 * are the caller's to check (once per document: see `jsonStringsValid`).
 */
// deno-lint-ignore trailscraper/function-size -- the sync worker's per-byte loop: split, it runs measurably slower
export function scanRecord(text: string, start: number, end: number): ScannedRecord | typeof TOO_DEEP | undefined {
  if (text.charCodeAt(start) !== OPEN_OBJECT) return undefined;
  const out: ScannedRecord = {};
  let identity: Record<string, unknown> | undefined;
  const stack: number[] = [];
  let want = ""; // the wanted key (top level, or accountId in userIdentity) whose value comes next
  let inIdentity = false;
  let expect: number = Expect.Value;
  let i = start;
  const set = (value: unknown) => {
    if (stack.length === 1) out[want] = value;
    else identity![want] = value;
    want = "";
  };
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const close = stringEnd(text, i, end);
      if (close < 0) return undefined;
      const depth = stack.length;
      if (expect === Expect.Key || expect === Expect.KeyOrClose) {
        let j = close + 1;
        while (j < end && isSpace(text.charCodeAt(j))) j++;
        if (text.charCodeAt(j) !== COLON) return undefined;
        if (depth === 1 || (depth === 2 && inIdentity)) {
          const name = keyName(text, i, close, depth === 1 ? TOP : IDENTITY);
          if (name === undefined) return undefined;
          want = name;
        }
        expect = Expect.Value;
        i = j + 1;
        continue;
      }
      if (expect !== Expect.Value && expect !== Expect.ValueOrClose) return undefined;
      if (want !== "") {
        const value = stringValue(text, i, close);
        if (value === undefined) return undefined;
        set(value);
      }
      expect = Expect.Next;
      i = close + 1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (expect !== Expect.Value && expect !== Expect.ValueOrClose) return undefined;
      if (want !== "") {
        if (want === "userIdentity" && c === OPEN_OBJECT && stack.length === 1) {
          inIdentity = true;
          out.userIdentity = identity = {};
          want = "";
        } else set(OTHER);
      }
      if (stack.push(c) > MAX_RECORD_DEPTH) return TOO_DEEP;
      expect = c === OPEN_OBJECT ? Expect.KeyOrClose : Expect.ValueOrClose;
      i++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      const object = c === CLOSE_OBJECT;
      if (expect !== Expect.Next && expect !== (object ? Expect.KeyOrClose : Expect.ValueOrClose)) return undefined;
      if (stack.pop() !== (object ? OPEN_OBJECT : OPEN_ARRAY)) return undefined;
      if (stack.length === 1) inIdentity = false;
      expect = Expect.Next; // a value just ended
      i++;
      if (stack.length === 0) {
        for (; i < end; i++) if (!isSpace(text.charCodeAt(i))) return undefined;
        return out;
      }
    } else if (c === COMMA) {
      if (expect !== Expect.Next) return undefined;
      expect = stack.at(-1) === OPEN_OBJECT ? Expect.Key : Expect.Value;
      i++;
    } else if (isSpace(c)) i++;
    else if (isBareChar(c)) {
      if (expect !== Expect.Value && expect !== Expect.ValueOrClose) return undefined;
      let j = i + 1;
      while (j < end && isBareChar(text.charCodeAt(j))) j++;
      const token = text.slice(i, j);
      if (!BARE.test(token)) return undefined;
      if (want !== "") set(token === "null" ? null : OTHER);
      expect = Expect.Next;
      i = j;
    } else return undefined;
  }
  return undefined; // the object never closed
}

// deno-lint-ignore no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f]/;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})?/g;

/**
 * True when the text holds no control character (raw, they are not JSON inside strings, and CloudTrail writes
 * none between tokens) and every backslash starts a valid escape: what {@link scanRecord} leaves unchecked.
 */
export function jsonStringsValid(text: string): boolean {
  if (CONTROL.test(text)) return false;
  if (!text.includes("\\")) return true;
  for (const m of text.matchAll(ESCAPE)) if (m[0].length === 1) return false;
  return true;
}
