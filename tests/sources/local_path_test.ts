import assert from "node:assert/strict";
import { escapeControl } from "../../src/output/escape_control.ts";
import { isInside, localPathFor } from "../../src/sources/local_path.ts";

Deno.test("localPathFor() keeps plain keys below the root and refuses every way out", () => {
  assert.deepEqual(localPathFor("/logs", "AWSLogs/1/x.json.gz"), { ok: true, path: "/logs/AWSLogs/1/x.json.gz" });
  assert.deepEqual(localPathFor("/logs", "a/..b/..c.json.gz"), { ok: true, path: "/logs/a/..b/..c.json.gz" });
  assert.deepEqual(localPathFor("/logs", "AWSLogs/1/", { folder: true }), { ok: true, path: "/logs/AWSLogs/1/" });
  const refused: [string, string][] = [
    ["a/../../x", 'has a ".." segment'],
    ["..", 'has a ".." segment'],
    ["a/./x", 'has a "." segment'],
    ["/etc/passwd", "has an empty segment"],
    ["a//x", "has an empty segment"],
    ["", "has an empty segment"],
    ["a/", "has an empty segment"],
    ["a\\..\\x", "has a backslash"],
    ["a\0/x", "has a NUL character"],
  ];
  for (const [key, issue] of refused) assert.deepEqual(localPathFor("/logs", key), { ok: false, issue }, key);
});

Deno.test("isInside() compares normalised paths, not prefixes", () => {
  assert.ok(isInside("/logs", "/logs/a"));
  assert.ok(isInside("/logs/", "/logs/x/../a"));
  assert.ok(isInside("logs", "logs/..a"));
  assert.ok(!isInside("/logs", "/logs"));
  assert.ok(!isInside("/logs", "/logs2/a"));
  assert.ok(!isInside("/logs", "/logs/a/../../etc"));
  assert.ok(!isInside("/logs", "/"));
});

Deno.test("escapeControl() escapes control and bidi characters, keeps the rest", () => {
  assert.equal(
    escapeControl("a\0b\x1b[31m\r\n\t\x7f\x85\u202eé日本"),
    "a\\x00b\\x1b[31m\\r\\n\\t\\x7f\\x85\\u202eé日本",
  );
  assert.equal(escapeControl('plain "text" with \\ and /'), 'plain "text" with \\ and /');
});
