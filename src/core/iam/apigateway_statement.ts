/** API Gateway's IAM model: the action is the HTTP method, the resource the request path. */
import bindings from "../../../data/apigateway_bindings.json" with { type: "json" };
import { isString, loadTable, pairOf } from "../util/data_table.ts";

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

/** Where a concrete path comes from (`--resources`): the call's region and request parameters. */
export interface ApiGatewayFill {
  region: string;
  partition: string;
  requestParameters: Record<string, unknown> | undefined;
}

const normalized = (name: string) => name.replace(/[_-]/g, "").toLowerCase();

/** The path's `{restapi_id}` as the request's `restApiId` (names compared without case and `_`), else `*`. */
function pathValue(name: string, fill: ApiGatewayFill | undefined): string {
  if (!fill?.requestParameters) return "*";
  const wanted = normalized(name);
  for (const [key, value] of Object.entries(fill.requestParameters)) {
    if (normalized(key) === wanted && typeof value === "string" && /^[^/*?]+$/.test(value)) return value;
  }
  return "*";
}

function resource(requestUri: string, fill?: ApiGatewayFill): string {
  // IAM names v2 resources without the URI's version: `/v2/apis/{apiId}` is the resource `/apis/<id>`.
  const path = requestUri.replace(/\?.*$/, "").replace(/^\/v2\//, "/")
    .replace(/\{([^}]+?)\+?\}/g, (_, name: string) => pathValue(name, fill));
  return fill ? `arn:${fill.partition}:apigateway:${fill.region}::${path}` : `arn:aws:apigateway:*::${path}`;
}

function grant(binding: [string, string], fill?: ApiGatewayFill): ApiGatewayGrant {
  return { actions: [`apigateway:${binding[0]}`], resources: [resource(binding[1], fill)] };
}

/**
 * The grant for an API Gateway event from the v1 or v2 service model's HTTP binding.
 * Where v1 and v2 share an operation name, `restApiId` in the request picks v1,
 * `apiId` picks v2, and without either hint both bindings are granted. With `fill`,
 * the path names the call's API, stage, ... and region where the request says them.
 */
export function apiGatewayGrant(
  eventName: string,
  requestParameters: Record<string, unknown> | undefined,
  fill?: ApiGatewayFill,
): ApiGatewayGrant | undefined {
  const a = v1[eventName];
  const b = v2[eventName];
  if (a && b) {
    if (requestParameters && "restApiId" in requestParameters) return grant(a, fill);
    if (requestParameters && "apiId" in requestParameters) return grant(b, fill);
    const actions = [...new Set([`apigateway:${a[0]}`, `apigateway:${b[0]}`])].sort();
    return { actions, resources: [resource(a[1], fill), resource(b[1], fill)].sort() };
  }
  const binding = a ?? b;
  return binding ? grant(binding, fill) : undefined;
}
