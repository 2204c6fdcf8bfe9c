// deno-lint-ignore-file no-console
/**
 * How many AWS API operations map to IAM actions that exist. Every operation of
 * every aws-sdk v2 service model is tried as a CloudTrail event twice: with
 * eventSource `<endpointPrefix>.amazonaws.com` and `<signingName>.amazonaws.com`.
 *
 * Run: deno task coverage            (summary and the residue, one line each)
 */
import operations from "./data/aws_operations.json" with { type: "json" };
import { recordGrant } from "../src/core/iam/record_grant.ts";
import type { CloudTrailRecord } from "../src/core/records/record.ts";

/** Coverage for one way of naming the event source. */
export interface Coverage {
  total: number;
  mapped: number;
  residue: string[];
}

function event(eventSource: string, eventName: string): CloudTrailRecord {
  return {
    eventSource,
    eventName,
    eventTime: undefined,
    eventType: "AwsApiCall",
    resourceArns: [],
    assumedRoleArn: undefined,
    identityArn: undefined,
    requestParameters: undefined,
    raw: {},
  };
}

/** Maps every operation with the event source `source(service)` and counts the mapped ones. */
export function mappingCoverage(by: "endpointPrefix" | "signingName"): Coverage {
  const result: Coverage = { total: 0, mapped: 0, residue: [] };
  for (const service of operations) {
    const source = `${service[by]}.amazonaws.com`;
    for (const op of service.operations) {
      result.total++;
      const grant = recordGrant(event(source, op));
      if (grant.kind === "ignored" || grant.unknown.length === 0) result.mapped++;
      else result.residue.push(`${source} ${op} -> ${grant.unknown.join(", ")}`);
    }
  }
  return result;
}

if (import.meta.main) {
  for (const by of ["endpointPrefix", "signingName"] as const) {
    const c = mappingCoverage(by);
    console.log(`# by ${by}: ${c.mapped}/${c.total} = ${(100 * c.mapped / c.total).toFixed(2)}% map to real actions`);
    if (Deno.args.includes("--residue")) { for (const line of c.residue) console.log(line); }
  }
}
