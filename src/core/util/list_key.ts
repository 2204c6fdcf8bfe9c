/** Map keys for lists of strings that a record may fill with anything. */

const SEP = "\u0000";

/**
 * A key for `list` that no other list has (a join with a separator is not one: a string may hold the separator, and
 * `["a\u0000b"]` would pass for `["a", "b"]`). A list of one string is that string (most are one ARN or one action:
 * no new string), unless it starts with the separator; any other list is the separator and the list's JSON.
 */
export function listKey(list: readonly string[]): string {
  const only = list.length === 1 ? list[0]! : undefined;
  return only !== undefined && !only.startsWith(SEP) ? only : SEP + JSON.stringify(list);
}
