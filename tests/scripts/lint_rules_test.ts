import assert from "node:assert/strict";
import plugin from "../../scripts/lint_rules.ts";

/** A function whose text spans `lines` lines. */
function source(lines: number, kind: "declaration" | "arrow" | "method"): string {
  const body = Array.from({ length: lines - 2 }, (_, i) => `  total += ${i};`).join("\n");
  if (kind === "arrow") return `const f = () => {\n  let total = 0;\n${body.split("\n").slice(1).join("\n")}\n};\n`;
  if (kind === "method") return `class C {\n  m() {\n  let total = 0;\n${body.split("\n").slice(1).join("\n")}\n}\n}\n`;
  return `function f() {\n  let total = 0;\n${body.split("\n").slice(1).join("\n")}\n}\n`;
}

Deno.test("trailscraper/function-size: a function in src/ of 61 lines is reported, 60 is not, nor tests or scripts", () => {
  for (const kind of ["declaration", "arrow", "method"] as const) {
    const long = Deno.lint.runPlugin(plugin, "/repo/src/core/x.ts", source(61, kind));
    assert.equal(long.length, 1, kind);
    assert.equal(long[0]!.id, "trailscraper/function-size");
    assert.match(long[0]!.message, /has 61 lines; at most 60 in src\//);
    assert.deepEqual(Deno.lint.runPlugin(plugin, "/repo/src/core/x.ts", source(60, kind)), [], kind);
    assert.deepEqual(Deno.lint.runPlugin(plugin, "/repo/tests/x_test.ts", source(61, kind)), [], kind);
  }
});
