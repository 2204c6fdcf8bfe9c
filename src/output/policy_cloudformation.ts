/** A policy as a CloudFormation template: one `AWS::IAM::ManagedPolicy`, placeholders through `Fn::Sub` (`!Sub`). */
import YAML from "yaml";
import type { PolicyDocument } from "../core/policy/policy.ts";

/** A string that uses `${AWS::...}` becomes `{"Fn::Sub": string}`; everything else stays as it is. */
function sub(value: unknown): unknown {
  if (typeof value === "string") return value.includes("${AWS::") ? { "Fn::Sub": value } : value;
  if (Array.isArray(value)) return value.map(sub);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sub(v)]));
  }
  return value;
}

/** The template with one managed policy per document (`TrailscraperPolicy`, `TrailscraperPolicy2`, ...). */
export function renderCloudFormation(policies: PolicyDocument[]): string {
  const resources = Object.fromEntries(policies.map((policy, i) => [
    `TrailscraperPolicy${i === 0 ? "" : i + 1}`,
    {
      Type: "AWS::IAM::ManagedPolicy",
      Properties: {
        Description: "Least privilege from CloudTrail (trailscraper generate)",
        PolicyDocument: sub({ Version: policy.Version, Statement: policy.Statement }),
      },
    },
  ]));
  // YAML 1.1 quotes what a 1.1 parser would read as a date or a boolean ("2012-10-17", "yes").
  return YAML.stringify({ AWSTemplateFormatVersion: "2010-09-09", Resources: resources }, {
    lineWidth: 0,
    version: "1.1",
  });
}
