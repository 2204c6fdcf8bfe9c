import assert from "node:assert/strict";
import { parseSyncConfig } from "../../../src/core/sync/sync_config.ts";

const issue = (text: string) => {
  const r = parseSyncConfig(text);
  return r.ok ? "" : r.issue;
};

Deno.test("parseSyncConfig() says in words what a broken config lacks, what it found, and where", () => {
  assert.equal(
    issue(`{ "trails": [ { "bucket": "b" ] }`),
    'expected a comma (,) before the next entry, or the end of the object (}) or list (]), found "]" at line 1 column 31',
  );
  assert.equal(
    issue(`{ "events_dir" "x" }`),
    'expected a colon (:) after the property name, found "\\"" at line 1 column 16',
  );
  assert.equal(
    issue(`{ events_dir: "x" }`),
    'expected JSON (a name or string in double quotes, a number, {, [, true, false or null), found "e" at line 1 column 3',
  );
  assert.equal(
    issue(`{ "trails": [`),
    "expected the end of the list (]), found the end of the file at line 1 column 14",
  );
  assert.equal(issue(`{ "a": "x }`), 'expected the closing quote (") of a string, found "\\"" at line 1 column 8');
  for (const text of [`{ "a": 1 } x`, `{ "a": 01 }`, "{ /* x ", '{ "a": "\\q" }', "{ 'a': 1 }"]) {
    assert.doesNotMatch(issue(text), /[A-Z][a-z]+[A-Z][a-z]+/, `a code name instead of words for ${text}`);
    assert.match(issue(text), /^expected .*, found .* at line \d+ column \d+$/, text);
  }
});
