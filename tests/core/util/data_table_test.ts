import assert from "node:assert/strict";
import table from "../../../data/iam_actions.json" with { type: "json" };
import {
  arrayOf,
  DataTableError,
  isObject,
  isString,
  loadTable,
  pairOf,
  recordOf,
} from "../../../src/core/util/data_table.ts";

Deno.test("loadTable() keeps checked values, leaves out _comment keys and names a key with the wrong shape", () => {
  const pairs = pairOf(isString, isString);
  assert.deepEqual({ ...loadTable({ _comment: "x", a: ["GET", "/a"] }, "t.json", pairs) }, { a: ["GET", "/a"] });
  assert.throws(
    () => loadTable({ a: ["GET", "/a"], b: ["GET"] }, "t.json", pairs),
    new DataTableError('data/t.json: the value of "b" has the wrong shape'),
  );
  assert.throws(() => loadTable([], "t.json", pairs), new DataTableError("data/t.json: not a JSON object"));
});

Deno.test("loadTable(): a name from a record (constructor, __proto__, toString) finds nothing the table does not hold", () => {
  const services = loadTable({ s3: { actions: { GetObject: ["R", []] } } }, "t.json", isObject);
  for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
    assert.equal(services[name], undefined);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(services)), { s3: { actions: { GetObject: ["R", []] } } });
});

Deno.test("data/iam_actions.json: every action of every service is [access level, resource types]", () => {
  const action = pairOf(isString, arrayOf(isString));
  const services = loadTable(
    table,
    "iam_actions.json",
    (v): v is { actions: Record<string, [string, string[]]> } => isObject(v) && recordOf(action)(v.actions),
  );
  assert.ok(Object.keys(services).length > 400);
});
