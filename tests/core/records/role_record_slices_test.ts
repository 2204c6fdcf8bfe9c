import assert from "node:assert/strict";
import { generateCorpus } from "../../../scripts/gen_corpus.ts";
import { roleRecordSlices } from "../../../src/core/records/role_record_slices.ts";
import { selectRecords } from "../../../src/steps/select_step.ts";
import { readInput } from "../../../src/sources/record_input.ts";

const ROLE = "arn:aws:iam::111122223333:role/app";

function rec(id: string, role: string, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: "1.08",
    userIdentity: { type: "AssumedRole", sessionContext: { sessionIssuer: { arn: role } } },
    eventTime: "2024-03-01T09:00:00Z",
    eventSource: "ec2.amazonaws.com",
    eventName: "DescribeVpcs",
    eventID: id,
    ...extra,
  };
}

const all = { from: -Infinity, to: Infinity, roleArns: [ROLE] };

Deno.test("roleRecordSlices() keeps the records that mention a wanted role, in file order", () => {
  const records = [rec("a", ROLE), rec("b", "arn:aws:iam::1:role/other"), rec("c", ROLE)];
  const text = JSON.stringify({ Records: records });
  assert.deepEqual(roleRecordSlices(text, [ROLE]), [JSON.stringify(records[0]), JSON.stringify(records[2])]);
  assert.deepEqual(roleRecordSlices(text, ["arn:aws:iam::1:role/none"]), []);
});

Deno.test("roleRecordSlices() is not used for files that are not laid out as CloudTrail writes them", () => {
  assert.equal(roleRecordSlices(` {"Records":[${JSON.stringify(rec("a", ROLE))}]}`, [ROLE]), undefined);
  assert.equal(
    roleRecordSlices(JSON.stringify({ Records: [{ eventTime: "x", eventVersion: "1" }] }), [ROLE]),
    undefined,
  );
  assert.equal(roleRecordSlices(JSON.stringify({ Records: [rec("a", ROLE)] }, null, 2), [ROLE]), undefined);
});

Deno.test("selectRecords() with a role filter is right when a record nests the separator", () => {
  // A nested {"eventVersion": ...} after another object is cut apart by the fast path.
  const nested = rec("n", ROLE, { responseElements: { items: [{ a: 1 }, { eventVersion: "x", b: 2 }] } });
  const cases = [
    [nested],
    [rec("a", ROLE), nested, rec("c", "arn:aws:iam::1:role/other")],
    [
      rec("a", "arn:aws:iam::1:role/other"),
      rec("b", "arn:aws:iam::1:role/x", { responseElements: { items: [{ a: ROLE }, { eventVersion: ROLE }] } }),
    ],
  ];
  for (const records of cases) {
    const text = JSON.stringify({ Records: records });
    const expected = records.filter((r) => r.userIdentity.sessionContext.sessionIssuer.arn === ROLE).map((r) =>
      r.eventID
    );
    const got = selectRecords({ text, format: "records" }, all, "jsonl");
    assert.ok(got.ok);
    assert.deepEqual(got.records.map((r) => JSON.parse(r).eventID), expected);
  }
});

Deno.test("selectRecords() gives the same bytes on the fast path as on the full parse, over a generated corpus", async () => {
  const dir = await Deno.makeTempDir();
  const files = generateCorpus(dir, { days: 1, filesPerDay: 4, recordsPerFile: 60, extras: false });
  const roles = {
    from: -Infinity,
    to: Infinity,
    roleArns: ["arn:aws:iam::111122223333:role/ci-deploy", "arn:aws:iam::444455556666:role/app"],
  };
  let matched = 0;
  for (const file of files) {
    const read = readInput({ kind: "file", path: file.path });
    assert.ok(read.ok);
    const text = read.doc;
    for (const format of ["json", "jsonl"] as const) {
      const fast = selectRecords(text, roles, format);
      const full = selectRecords({ ...text, text: " " + text.text }, roles, format); // a leading space takes the full parse
      assert.deepEqual(fast, full, file.path);
      if (fast.ok) matched += fast.records.length;
    }
  }
  assert.ok(matched > 100, `only ${matched} records matched`);
});

Deno.test("roleRecordSlices() and the file prefilter step aside when escapes could spell an ARN differently", () => {
  const record = rec("e", ROLE);
  for (
    const text of [
      JSON.stringify({ Records: [record] }).replaceAll("/", "\\/"),
      JSON.stringify({ Records: [record] }).replace("arn:aws:iam", "\\u0061rn:aws:iam"),
    ]
  ) {
    assert.equal(roleRecordSlices(text, [ROLE]), undefined);
    const got = selectRecords({ text, format: "records" }, all, "jsonl");
    assert.ok(got.ok);
    assert.deepEqual(got.records.map((r) => JSON.parse(r).eventID), ["e"]);
  }
});
