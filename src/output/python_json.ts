/**
 * JSON text exactly as Python's `json.dumps` writes it with `ensure_ascii=True`
 * (the default): what trailscraper printed, so scripts that diff its output keep working.
 */
import { compareCodePoints } from "../core/compare_code_points.ts";

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

/** A string literal escaped like Python's `json.dumps(s)` (ASCII only, lowercase hex). */
export function pythonString(s: string): string {
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
export function pythonNumberLiteral(source: string): string {
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
  const { indent, sortKeys = false } = options;
  const parts: string[] = [];
  const write = (v: unknown, depth: number): void => {
    if (v === null || v === undefined) parts.push("null");
    else if (typeof v === "string") parts.push(pythonString(v));
    else if (typeof v === "number") parts.push(pythonNumber(v));
    else if (typeof v === "boolean") parts.push(v ? "true" : "false");
    else if (v instanceof RawNumber) parts.push(pythonNumberLiteral(v.source));
    else if (Array.isArray(v)) {
      writeItems(v.map((item) => () => write(item, depth + 1)), "[", "]", depth);
    } else if (typeof v === "object") {
      const keys = Object.keys(v);
      if (sortKeys) keys.sort(compareCodePoints);
      const obj = v as Record<string, unknown>;
      writeItems(
        keys.map((k) => () => {
          parts.push(pythonString(k), ": ");
          write(obj[k], depth + 1);
        }),
        "{",
        "}",
        depth,
      );
    } else throw new TypeError(`Cannot serialise a ${typeof v} as JSON`);
  };
  const writeItems = (items: (() => void)[], open: string, close: string, depth: number) => {
    if (items.length === 0) return void parts.push(open + close);
    if (indent === undefined) {
      parts.push(open);
      items.forEach((item, i) => {
        if (i > 0) parts.push(", ");
        item();
      });
      return void parts.push(close);
    }
    const inner = "\n" + " ".repeat(indent * (depth + 1));
    parts.push(open);
    items.forEach((item, i) => {
      parts.push(i > 0 ? "," + inner : inner);
      item();
    });
    parts.push("\n" + " ".repeat(indent * depth) + close);
  };
  write(value, 0);
  return parts.join("");
}
