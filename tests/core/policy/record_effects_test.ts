/**
 * A repeat (`PolicyGenerator.repeat` of a record's number) must leave the generator exactly as adding the record
 * again would: every count (records, granted, skipped, ignored, ARN coverage, each statement group's members, each
 * observed pair), in every resource mode, whatever the record did (skipped, ignored, several groups, a failure).
 */
import assert from "node:assert/strict";
import { PolicyGenerator } from "../../../src/core/policy/policy_generator.ts";
import { CountedReasons, RecordEffects } from "../../../src/core/policy/record_effects.ts";
import { resolverFor } from "../../../src/steps/resource_resolver.ts";
import { synthRecords } from "../../../scripts/synth_records.ts";
import { realShapeRecords } from "../../../scripts/real_shape_records.ts";
import { seededRandom } from "../../helpers/hostile_records.ts";

/**
 * A record whose parameters fail when the resolver reads them (as a stack overflow would): counted as granted, then
 * as skipped. JSON gives no such value; a generator must still count its repeats as it counted it.
 */
const failsAfterGrant = {
  eventSource: "s3.amazonaws.com",
  eventName: "GetObject",
  requestParameters: {
    get bucketName(): string {
      throw new RangeError("Maximum call stack size exceeded");
    },
  },
};

const records: unknown[] = [
  ...synthRecords(300, { seed: 4, distinctResources: 30, calls: "wide" }),
  ...realShapeRecords(),
  { eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity" },
  { eventSource: "s3.amazonaws.com" },
  42,
  null,
  failsAfterGrant,
];

Deno.test("a repeat leaves the generator as adding the record again does, in every mode, with and without a self-check", async () => {
  for (const mode of [undefined, "precise", "prefix"] as const) {
    for (const observe of [false, true]) {
      const resolver = await resolverFor(mode);
      const random = seededRandom(mode === undefined ? 1 : mode.length);
      const byRepeat = new PolicyGenerator({ observe, resolver });
      const byAdding = new PolicyGenerator({ observe, resolver });
      records.forEach((r, id) => {
        byRepeat.add(r, id);
        byAdding.add(r);
      });
      for (let i = 0; i < 3000; i++) {
        const id = Math.floor(random() * records.length);
        byRepeat.repeat(id);
        byAdding.add(records[id]);
      }
      const label = `${mode ?? "default"} observe=${observe}`;
      assert.deepEqual(byRepeat.toPartial(), byAdding.toPartial(), label);
      assert.deepEqual(byRepeat.result(), byAdding.result(), label);
    }
  }
});

Deno.test("record effects: numbers kept again after numbering began again replace the old ones", () => {
  const effects = new RecordEffects();
  effects.keep(0, { counted: 3, groups: [7], slots: [1, 2] });
  effects.keep(1, { counted: -1, groups: [8, 9], slots: [] });
  effects.keep(0, { counted: 5, groups: [], slots: [4] }); // numbering began again
  assert.equal(effects.counted(0), 5);
  const groups: number[] = [];
  effects.eachGroup(0, (g) => groups.push(g));
  assert.deepEqual(groups, []);
  const [pairs, start, end] = effects.pairs(0)!;
  assert.deepEqual([pairs.get(start), end - start], [4, 1]);
  assert.throws(() => effects.counted(2), /no record has the number 2/);
});

Deno.test("counted reasons: one number per place and reason, counted again into that place", () => {
  const reasons = new CountedReasons();
  const skipped: Record<string, number> = {}, ignored: Record<string, number> = {};
  const a = reasons.count(skipped, "x"), b = reasons.count(ignored, "x");
  assert.ok(a < 0 && b < 0 && a !== b);
  assert.equal(reasons.count(skipped, "x"), a);
  reasons.recount(a);
  reasons.recount(b);
  reasons.recount(b);
  assert.deepEqual([skipped, ignored], [{ x: 3 }, { x: 3 }]);
});
