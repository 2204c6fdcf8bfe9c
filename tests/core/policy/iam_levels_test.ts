import assert from "node:assert/strict";
import { iamLevels } from "../../../src/core/policy/iam_levels.ts";

Deno.test("iam levels: an action is its prefix and the whole rest; a name with another colon is no known action", () => {
  assert.equal(iamLevels.levelOf("s3:GetObject"), "R");
  assert.equal(iamLevels.levelOf("s3:getobject"), "R", "names are case-insensitive");
  assert.equal(iamLevels.levelOf("s3:GetObject:x"), undefined);
  assert.equal(iamLevels.levelOf("s3:GetObject:"), undefined);
  assert.equal(iamLevels.levelOf("s3"), undefined);
  assert.equal(iamLevels.levelOf("nope:GetObject"), undefined);
});
