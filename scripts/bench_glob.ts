// deno-lint-ignore-file no-console
/**
 * IAM wildcard matching: the iterative matcher against the regex it replaced, on the
 * `*?*?...x` patterns of issue 18 (a regex backtracks in time that doubles per pair).
 *
 * Run: deno run scripts/bench_glob.ts
 */
import { globMatch } from "../src/core/util/glob_match.ts";

const action = "s3:GetAccessGrantsInstanceForPrefixAndMore"; // 42 characters, does not end in "x"
const time = (f: () => unknown) => {
  const started = performance.now();
  f();
  return performance.now() - started;
};
const regexOf = (p: string) =>
  new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")}$`, "is");

for (const pairs of [4, 6, 8, 10, 1000]) {
  const pattern = "s3:" + "*?".repeat(pairs) + "x";
  const glob = time(() => globMatch(pattern, action, { ignoreCase: true }));
  const regex = pairs <= 8 ? time(() => regexOf(pattern).test(action)).toFixed(1) + " ms" : "(not run)";
  console.log(`${String(pairs).padStart(4)} pairs: glob ${glob.toFixed(3)} ms, regex ${regex}`);
}
const long = "s3:" + "GetObject".repeat(600);
const pattern = "s3:" + "*?".repeat(1000) + "x";
console.log(
  `2,000 wildcards vs a ${long.length}-character name: glob ${time(() => globMatch(pattern, long)).toFixed(1)} ms`,
);
