import assert from "node:assert/strict";
import { pythonJson, pythonNumber, pythonString } from "../../src/output/python_json.ts";

Deno.test("pythonJson() with indent and sort_keys matches json.dumps(indent=4, sort_keys=True)", () => {
  const value = { b: [1, "x", {}, []], a: { d: null, c: true } };
  assert.equal(
    pythonJson(value, { indent: 4, sortKeys: true }),
    '{\n    "a": {\n        "c": true,\n        "d": null\n    },\n    "b": [\n        1,\n        "x",\n        {},\n        []\n    ]\n}',
  );
});

Deno.test("pythonJson() without indent uses Python's ', ' and ': ' separators and keeps key order", () => {
  assert.equal(pythonJson({ z: 1, a: [1, 2] }), '{"z": 1, "a": [1, 2]}');
});

Deno.test("pythonString() escapes non-ASCII as lowercase \\u escapes, astral as surrogate pairs", () => {
  assert.equal(pythonString('é\u007f😀\n\t"\\/'), '"\\u00e9\\u007f\\ud83d\\ude00\\n\\t\\"\\\\/"');
  assert.equal(pythonString("\u0001"), '"\\u0001"');
});

Deno.test("pythonNumber() formats floats like Python's repr", () => {
  assert.equal(pythonNumber(1), "1");
  assert.equal(pythonNumber(2.5), "2.5");
  assert.equal(pythonNumber(1e20), "1e+20");
  assert.equal(pythonNumber(1.5e-7), "1.5e-07");
  assert.equal(pythonNumber(0.0001), "0.0001");
  assert.equal(pythonNumber(1e16), "1e+16");
});
