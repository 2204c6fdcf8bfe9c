/** API Gateway's IAM model: the action is the HTTP method, the resource the request path. */
import bindings from "../../data/apigateway_bindings.json" with { type: "json" };
import { isString, loadTable, pairOf } from "./data_table.ts";

const isBinding = pairOf(isString, isString);
const v1: Record<string, [string, string] | undefined> = loadTable(
  bindings.v1,
  "apigateway_bindings.json v1",
  isBinding,
);
const v2: Record<string, [string, string] | undefined> = loadTable(
  bindings.v2,
  "apigateway_bindings.json v2",
  isBinding,
);

/** Actions and resources an API Gateway management call needs, or undefined for an unknown operation. */
export interface ApiGatewayGrant {
  actions: string[];
  resources: string[];
}

function resource(requestUri: string): string {
  return `arn:aws:apigateway:*::${requestUri.replace(/\{[^}]+\}/g, "*").replace(/\?.*$/, "")}`;
}

function grant(binding: [string, string]): ApiGatewayGrant {
  return { actions: [`apigateway:${binding[0]}`], resources: [resource(binding[1])] };
}

/**
 * The grant for an API Gateway event from the v1 or v2 service model's HTTP binding.
 * Where v1 and v2 share an operation name, `restApiId` in the request picks v1,
 * `apiId` picks v2, and without either hint both bindings are granted.
 */
export function apiGatewayGrant(
  eventName: string,
  requestParameters: Record<string, unknown> | undefined,
): ApiGatewayGrant | undefined {
  const a = v1[eventName];
  const b = v2[eventName];
  if (a && b) {
    if (requestParameters && "restApiId" in requestParameters) return grant(a);
    if (requestParameters && "apiId" in requestParameters) return grant(b);
    const actions = [...new Set([`apigateway:${a[0]}`, `apigateway:${b[0]}`])].sort();
    return { actions, resources: [resource(a[1]), resource(b[1])].sort() };
  }
  const binding = a ?? b;
  return binding ? grant(binding) : undefined;
}
