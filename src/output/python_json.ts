/**
 * JSON text exactly as Python's `json.dumps` writes it with `ensure_ascii=True`
 * (the default): what trailscraper printed, so scripts that diff its output keep working.
 */
import { compareCodePoints } from "../core/util/compare_code_points.ts";

/** Options of {@link pythonJson}. */
export interface PythonJsonOptions {
  /** Spaces per level; without it the output is one line with `", "` and `": "` separators. */
  indent?: number;
  /** Sort object keys (by code point) at every level, like `sort_keys=True`. */
  sortKeys?: boolean;
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

// Python escapes everything outside printable ASCII (space to tilde), DEL included.
// deno-lint-ignore no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/g;
// deno-lint-ignore no-control-regex
const NEEDS_ESCAPE_TEST = /["\\\u0000-\u001f\u007f-\uffff]/;

/** A string literal escaped like Python's `json.dumps(s)` (ASCII only, lowercase hex). */
export function pythonString(s: string): string {
  if (!NEEDS_ESCAPE_TEST.test(s)) return '"' + s + '"';
  return '"' + s.replace(NEEDS_ESCAPE, (c) => ESCAPES[c] ?? "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")) +
    '"';
}

/**
 * A JSON number literal kept as written, so it prints as Python prints what it
 * parsed: integers exactly (any size), floats with `repr` (`1.0` stays `1.0`).
 */
export class RawNumber {
  constructor(readonly source: string) {}
}

/** Python's output for a number literal: an int as is (`-0` is `0`), a float with repr. */
function pythonNumberLiteral(source: string): string {
  if (/^-?\d+$/.test(source)) return /^-0+$/.test(source) ? "0" : source;
  return pythonNumber(Number(source), true);
}

/** A number as Python prints a parsed JSON number (integers as is, floats with repr). */
export function pythonNumber(n: number, isFloat = false): string {
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : n < 0 ? "-Infinity" : "NaN";
  if (Number.isInteger(n) && Math.abs(n) < 1e16) {
    if (!isFloat) return String(n);
    return Object.is(n, -0) ? "-0.0" : `${n}.0`;
  }
  // Python repr: the shortest round-trip digits (as JS), exponent form when exp < -4 or >= 16.
  const [mantissa = "", exp = "0"] = n.toExponential().split("e");
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const s = String(n);
  return s.includes(".") || s.includes("e") ? s : s + ".0";
}

/** Serialises a JSON value like Python's `json.dumps(value, indent=..., sort_keys=...)`. */
export function pythonJson(value: unknown, options: PythonJsonOptions = {}): string {
  return options.indent === undefined && !options.sortKeys
    ? compact(value)
    : [...pythonJsonPieces(value, options)].join("");
}

/** One line with Python's default separators; the hot path of `select`. */
function compact(v: unknown): string {
  if (typeof v === "string") return pythonString(v);
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") return pythonNumber(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof RawNumber) return pythonNumberLiteral(v.source);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    let out = "[" + compact(v[0]);
    for (let i = 1; i < v.length; i++) out += ", " + compact(v[i]);
    return out + "]";
  }
  if (typeof v === "object") {
    let out = "{";
    let first = true;
    for (const key in v) {
      out += (first ? "" : ", ") + pythonString(key) + ": " + compact((v as Record<string, unknown>)[key]);
      first = false;
    }
    return out + "}";
  }
  throw new TypeError(`Cannot serialise a ${typeof v} as JSON`);
}

/**
 * The text of {@link pythonJson} with an indent, in pieces: a large document can be
 * written without ever being one string.
 */
export function* pythonJsonPieces(value: unknown, options: PythonJsonOptions = {}): Generator<string> {
  yield* indentedPieces(value, options.indent, options.sortKeys ?? false, 0);
}

function* indentedPieces(v: unknown, indent: number | undefined, sortKeys: boolean, depth: number): Generator<string> {
  if (v === null || typeof v !== "object" || v instanceof RawNumber) {
    yield compact(v);
    return;
  }
  const isArray = Array.isArray(v);
  const obj = v as Record<string, unknown>;
  const keys = isArray ? [] : Object.keys(obj);
  if (sortKeys) keys.sort(compareCodePoints);
  const count = isArray ? (v as unknown[]).length : keys.length;
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (count === 0) {
    yield open + close;
    return;
  }
  const inner = indent === undefined ? "" : "\n" + " ".repeat(indent * (depth + 1));
  const separator = indent === undefined ? ", " : "," + inner;
  yield open + inner;
  for (let i = 0; i < count; i++) {
    if (i > 0) yield separator;
    if (isArray) yield* indentedPieces((v as unknown[])[i], indent, sortKeys, depth + 1);
    else {
      const key = keys[i]!;
      yield pythonString(key) + ": ";
      yield* indentedPieces(obj[key], indent, sortKeys, depth + 1);
    }
  }
  yield (indent === undefined ? "" : "\n" + " ".repeat(indent * depth)) + close;
}
