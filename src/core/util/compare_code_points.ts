/**
 * Compares two strings by Unicode code point, the order Python's `sorted()` uses.
 * JavaScript's `<` compares UTF-16 code units, which differs only when one side
 * has an astral character (a surrogate pair) where the other has U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (astral characters) above the rest of the BMP. */
function rank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit;
}

/** A code unit of a surrogate pair or above: where UTF-16 order and code point order may differ. */
const HIGH_UNIT = /[\uD800-\uFFFF]/;

/**
 * Sorts `list` in place by code point, as `sort(compareCodePoints)` does; when no string holds a unit at or above
 * U+D800 (ARNs and action names never do) by the engine's own string order, which is the same there and faster.
 */
export function sortCodePoints(list: string[]): string[] {
  return list.some((s) => HIGH_UNIT.test(s)) ? list.sort(compareCodePoints) : list.sort();
}
