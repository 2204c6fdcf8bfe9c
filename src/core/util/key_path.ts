/** Whether an S3 key (or any `/`-separated name from input) can name a file below a local folder as it is. */

/**
 * Why `key` cannot be a relative path below a folder, or undefined when it can: a NUL
 * character, a backslash (a separator on Windows), or a `.`, `..` or empty segment
 * (which would move the path, or make two keys one file). With `folder`, one trailing
 * `/` is allowed (a key prefix).
 */
export function keyPathProblem(key: string, options: { folder?: boolean } = {}): string | undefined {
  if (key.includes("\0")) return "a NUL character";
  if (key.includes("\\")) return "a backslash";
  const segments = (options.folder && key.endsWith("/") ? key.slice(0, -1) : key).split("/");
  if (segments.includes("..")) return 'a ".." segment';
  if (segments.includes(".")) return 'a "." segment';
  if (segments.includes("")) return "an empty segment";
  return undefined;
}
