import assert from "node:assert/strict";
import { JsonStreamError, RecordStreamParser } from "../../../src/core/records/record_stream_parser.ts";

function parse(text: string, chunkSize = 5): unknown[] {
  const parser = new RecordStreamParser();
  const out: unknown[] = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...parser.push(text.slice(i, i + chunkSize)));
  out.push(...parser.end());
  return out;
}

function failure(text: string): string {
  try {
    parse(text);
  } catch (e) {
    assert.ok(e instanceof JsonStreamError);
    return e.message;
  }
  throw new Error("expected a failure");
}

Deno.test("RecordStreamParser streams the elements of a Records document across chunk boundaries", () => {
  const text = '{"Records": [{"eventName": "a", "s": "} ] \\" {"}, {"eventName": "b"}]}\n';
  for (const size of [1, 2, 3, 7, 1000]) {
    assert.deepEqual(parse(text, size), [{ eventName: "a", s: '} ] " {' }, { eventName: "b" }]);
  }
});

Deno.test("RecordStreamParser reads JSON Lines and concatenated documents", () => {
  assert.deepEqual(parse('{"eventName":"a"}\n{"eventName":"b"}\n'), [{ eventName: "a" }, { eventName: "b" }]);
  assert.deepEqual(parse('{"Records":[]}{"Records":[{"eventName":"c"}]}\n{"eventName":"d"}'), [
    { eventName: "c" },
    { eventName: "d" },
  ]);
});

Deno.test("RecordStreamParser passes on JSON Lines values that are not objects, for the consumer to count", () => {
  for (const size of [1, 3, 1000]) {
    assert.deepEqual(parse('"a string"\n5\n{"eventName":"a"}\nnull\n[1]\n-2.5e3', size), [
      "a string",
      5,
      { eventName: "a" },
      null,
      [1],
      -2500,
    ]);
  }
});

Deno.test("RecordStreamParser finds Records that is not the first key, and skips keys after it", () => {
  assert.deepEqual(parse('{"x": 1, "Records": [{"eventName": "late"}]}'), [{ eventName: "late" }]);
  assert.deepEqual(parse('{"Records": [{"eventName": "a"}], "y": {"z": [1]}}'), [{ eventName: "a" }]);
});

Deno.test("RecordStreamParser reports problems with line and column", () => {
  assert.equal(failure('{"Records": [{"a":1},\n {"b":}]}'), "invalid JSON: unexpected '}' at line 2 column 7");
  assert.equal(failure('{"Records": [{"a":1}'), "unexpected end of input at line 1 column 21");
  assert.equal(failure('{"foo": 1}'), 'no "Records" key and not a CloudTrail record at line 1 column 1');
  assert.equal(failure("\n\n  x"), "invalid JSON: unexpected 'x' at line 3 column 3");
  assert.equal(
    failure('\n [{"eventName": "a"}]'),
    'an array of records: wrap it as {"Records": [...]} at line 2 column 2',
  );
  assert.equal(failure('{"Records": null}'), '"Records" is not an array at line 1 column 1');
  assert.equal(failure(""), "no input");
  assert.equal(failure(" \n "), "no input");
});

Deno.test("RecordStreamParser keeps line numbers right after it dropped consumed text", () => {
  const lines = Array.from({ length: 50 }, (_, i) => `{"eventName": "e${i}"}`);
  lines.push('{"eventName": x}');
  assert.equal(failure(lines.join("\n")), "invalid JSON: unexpected 'x' at line 51 column 15");
});

Deno.test("RecordStreamParser reads one huge record split into many chunks whole", () => {
  // Its speed (linear in the input) is measured by `deno task bench-generate`, not timed here.
  const big = `{"Records": [{"eventName": "a", "blob": "${"x".repeat(2_000_000)}"}]}`;
  const records = parse(big, 1000) as { blob: string }[];
  assert.equal(records[0]?.blob.length, 2_000_000);
});

Deno.test("RecordStreamParser refuses a second Records key after the first: it would drop those records unseen", () => {
  for (const key of ['"Records"', '"\\u0052ecords"']) {
    const text = `{"Records": [{"eventName": "a"}], "x": 1, ${key}: [{"eventName": "b"}]}`;
    assert.match(failure(text), /^a second "Records" key in one object: which records are meant is unclear at line 1/);
  }
  // Another key that merely holds the word is no second Records.
  assert.deepEqual(parse('{"Records": [{"eventName": "a"}], "RecordsX": [1]}'), [{ eventName: "a" }]);
});

Deno.test("RecordStreamParser fails at the first byte that no JSON value starts or goes on with (< /dev/zero)", () => {
  for (const text of ["\0\0\0\0", "tru\0e", "\x7fELF"]) {
    const parser = new RecordStreamParser();
    assert.throws(() => parser.push(text), (e) => e instanceof JsonStreamError && /invalid JSON/.test(e.message), text);
  }
  // A number or literal cut by the chunk still waits for its end.
  const parser = new RecordStreamParser();
  assert.deepEqual(parser.push("12"), []);
  assert.deepEqual([...parser.push("3\n"), ...parser.end()], [123]);
});

Deno.test("RecordStreamParser refuses a value that grows past its limit instead of buffering without end", () => {
  const parser = new RecordStreamParser(undefined, { maxValueChars: 1000 });
  parser.push('{"Records": [{"eventName": "');
  assert.throws(
    () => {
      for (let i = 0; i < 100; i++) parser.push("x".repeat(100));
    },
    (e) => e instanceof JsonStreamError && /^a value longer than 1000 characters/.test(e.message),
  );
});
