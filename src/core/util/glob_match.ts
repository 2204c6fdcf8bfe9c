/**
 * IAM's wildcard matching without regular expressions: `*` matches any run of
 * characters (none included), `?` any one. Iterative, with one saved star
 * position: at worst pattern length x value length steps, never exponential
 * (a regex built from `*?*?*?...x` backtracks in time that doubles per pair).
 */

const STAR = 42; // *
const QUESTION = 63; // ?
const NONE = -2; // `?` is a literal: no character code (nor the end, -1) is this

/** Options of {@link globMatch}. */
export interface GlobMatchOptions {
  /** Letters match in either case, as a regex's `i` flag does (IAM actions). Default false (resources). */
  ignoreCase?: boolean;
  /** `?` matches any one character (IAM); false makes it a literal `?`. Default true. */
  questionMark?: boolean;
}

/** A character code as a regex with the `i` flag (and no `u` flag) compares it. */
function foldCase(c: number): number {
  if (c < 128) return c >= 97 && c <= 122 ? c - 32 : c;
  const upper = String.fromCharCode(c).toUpperCase();
  return upper.length === 1 && upper.charCodeAt(0) >= 128 ? upper.charCodeAt(0) : c;
}

// deno-lint-ignore no-control-regex -- the whole ASCII range
const ASCII = /^[\u0000-\u007f]*$/;

/** `text` with every code unit folded as {@link globMatch} folds it with `ignoreCase` (not `toLowerCase()`). */
export function foldCaseText(text: string): string {
  if (ASCII.test(text)) return text.toUpperCase(); // the same as below for a-z, and nothing else changes
  let folded = "";
  for (let i = 0; i < text.length; i++) folded += String.fromCharCode(foldCase(text.charCodeAt(i)));
  return folded;
}

/** True when `c` and `d` differ only in case. */
function sameLetter(c: number, d: number): boolean {
  if ((c | d) < 128) return (c ^ d) === 32 && ((c | 32) >= 97 && (c | 32) <= 122);
  return foldCase(c) === foldCase(d);
}

/** True when all of `value` matches the wildcard `pattern` (UTF-16 code units, like a regex without `u`). */
export function globMatch(pattern: string, value: string, options: GlobMatchOptions = {}): boolean {
  const any = options.questionMark === false ? NONE : QUESTION;
  const ignoreCase = options.ignoreCase === true;
  let fixed = 0; // every character but `*` needs one of the value's
  for (let i = 0; i < pattern.length; i++) if (pattern.charCodeAt(i) !== STAR) fixed++;
  if (fixed > value.length) return false;
  let p = 0;
  let v = 0;
  let star = -1; // the pattern position after the last `*` seen
  let mark = 0; // where in the value that star's run ends so far
  while (v < value.length) {
    const c = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (c === STAR) {
      while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
      star = p;
      mark = v;
      continue;
    }
    if (c === any) {
      p++;
      v++;
      continue;
    }
    const d = value.charCodeAt(v);
    if (c === d || (ignoreCase && c !== -1 && sameLetter(c, d))) {
      p++;
      v++;
    } else if (star >= 0) {
      // Let the last star take one more character and try the rest again from there.
      p = star;
      v = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}
