import assert from "node:assert/strict";
import { iamResources } from "../../../src/core/iam/iam_resources.ts";
import { PolicyGenerator } from "../../../src/core/policy/policy_generator.ts";
import { ResourceResolver } from "../../../src/core/iam/resource_arns.ts";

const call = (eventName: string, requestParameters: Record<string, unknown>) => ({
  eventSource: "apigateway.amazonaws.com",
  eventName,
  awsRegion: "eu-west-1",
  recipientAccountId: "111122223333",
  requestParameters,
});

Deno.test("--resources: API Gateway paths name the call's API and stage when the request does; v2 without /v2", () => {
  const generator = new PolicyGenerator({ resolver: new ResourceResolver(iamResources), observe: true });
  generator.add(call("GetStage", { restApiId: "abc123", stageName: "prod" }));
  generator.add(call("GetStage", { apiId: "v2api", stageName: "live" }));
  generator.add(call("CreateDeployment", { restApiId: "abc123" }));
  generator.add(call("GetStage", { stageName: "prod" })); // no API id: the pattern stays
  const result = generator.result();
  const resources = result.policy.Statement.flatMap((s) => s.Resource as string[]).sort();
  assert.deepEqual(resources, [
    "arn:aws:apigateway:*::/apis/*/stages/*",
    "arn:aws:apigateway:*::/restapis/*/stages/*",
    "arn:aws:apigateway:eu-west-1::/apis/v2api/stages/live",
    "arn:aws:apigateway:eu-west-1::/restapis/abc123/deployments",
    "arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/prod",
  ]);
  assert.deepEqual(
    result.coverage?.byService().map((s) => [s.service, s.records, s.concrete, s.noArn]),
    [["apigateway", 4, 3, 1]],
  );
});
