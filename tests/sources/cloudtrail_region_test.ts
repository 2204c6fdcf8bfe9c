import assert from "node:assert/strict";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { configuredRegion } from "../../src/sources/cloudtrail_api.ts";

/** A client whose config resolves the region the way the SDK does: a value, or a rejection. */
const clientWith = (region: () => Promise<string>) => ({ config: { region } }) as unknown as CloudTrailClient;

Deno.test("configuredRegion(): only the SDK's 'Region is missing' means no region; any other failure is thrown", async () => {
  assert.equal(await configuredRegion(clientWith(() => Promise.resolve("eu-west-1"))), "eu-west-1");
  assert.equal(await configuredRegion(clientWith(() => Promise.reject(new Error("Region is missing")))), undefined);
  const broken = new Error('Requires env access to "AWS_REGION"');
  await assert.rejects(configuredRegion(clientWith(() => Promise.reject(broken))), broken);
});
