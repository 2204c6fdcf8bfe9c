/**
 * Typed loaders for the JSON tables in data/: each checks the shape once, at import,
 * and names the table and key that is wrong, instead of a cast that trusts the file.
 */

/** A check that a JSON value is a `T`. */
export type Guard<T> = (value: unknown) => value is T;

/** The table's error: a data file does not have the shape the code reads. */
export class DataTableError extends Error {
  override name = "DataTableError";
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A guard for strings. */
export const isString: Guard<string> = (v): v is string => typeof v === "string";

/** A guard for arrays whose items pass `item`. */
export function arrayOf<T>(item: Guard<T>): Guard<T[]> {
  return (v): v is T[] => Array.isArray(v) && v.every(item);
}

/** A guard for `[A, B]` pairs. */
export function pairOf<A, B>(a: Guard<A>, b: Guard<B>): Guard<[A, B]> {
  return (v): v is [A, B] => Array.isArray(v) && v.length === 2 && a(v[0]) && b(v[1]);
}

/** A guard for objects whose values all pass `value`. */
export function recordOf<T>(value: Guard<T>): Guard<Record<string, T>> {
  return (v): v is Record<string, T> => isObject(v) && Object.values(v).every(value);
}

/**
 * The table `json` (from data/`name`) as `Record<string, T>`, every value checked
 * with `value`. Keys starting with `_` (comments) are left out. Throws a
 * DataTableError naming the first key whose value has the wrong shape. The table has
 * no prototype: looked up by a name from a record (`constructor`, `__proto__`), it
 * holds nothing (objects inside it are as the JSON has them: look names up with Object.hasOwn).
 */
export function loadTable<T>(json: unknown, name: string, value: Guard<T>): Record<string, T> {
  if (!isObject(json)) throw new DataTableError(`data/${name}: not a JSON object`);
  const table: Record<string, T> = Object.create(null);
  for (const [key, v] of Object.entries(json)) {
    if (key.startsWith("_")) continue;
    if (!value(v)) throw new DataTableError(`data/${name}: the value of "${key}" has the wrong shape`);
    table[key] = v;
  }
  return table;
}
