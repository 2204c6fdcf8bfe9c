/** How deep a parsed JSON value nests, found without recursion (a value 100,000 levels deep overflows a recursion). */

/** True when `value` nests arrays and objects more than `limit` levels deep (a scalar is 0, `[]` or `{}` is 1). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (v === null || typeof v !== "object") continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
