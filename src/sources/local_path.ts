/** Local paths named by input (an S3 key, a principal, a record field), proven to stay below their root. */
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { keyPathProblem } from "../core/util/key_path.ts";

/** A path below a root, or why the name cannot be one (`has a ".." segment`). */
export type LocalPath = { ok: true; path: string } | { ok: false; issue: string };

/**
 * `root` joined with the `/`-separated `name`, when `name` has no `.`, `..` or empty
 * segment, backslash or NUL and the normalised result lies below `root` (not on it).
 * `folder` allows one trailing `/`.
 */
export function localPathFor(root: string, name: string, options: { folder?: boolean } = {}): LocalPath {
  const problem = keyPathProblem(name, options);
  if (problem) return { ok: false, issue: `has ${problem}` };
  const path = join(root, name);
  return isInside(root, path) ? { ok: true, path } : { ok: false, issue: "leads outside its folder" };
}

/** True when `path`, normalised, lies strictly below `root`. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
