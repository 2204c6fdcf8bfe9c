/** Account ids and regions in a policy's resource ARNs as `${AWS::AccountId}` / `${AWS::Region}`, for IaC templates. */
import type { PolicyDocument, Statement } from "./policy.ts";

/** The placeholder names, as CloudFormation's pseudo parameters spell them. */
export const ACCOUNT_PLACEHOLDER = "${AWS::AccountId}";
export const REGION_PLACEHOLDER = "${AWS::Region}";

const ARN = /^arn:(aws[a-z-]*):([^:]*):([a-z]{2}(?:-[a-z]+)+-\d)?:(\d{12})?:(.*)$/s;

/** One ARN with its region and account fields replaced (other strings as they are). */
export function arnWithPlaceholders(value: string): string {
  const m = ARN.exec(value);
  if (!m) return value;
  const [, partition, service, region, account, rest] = m;
  return `arn:${partition}:${service}:${region ? REGION_PLACEHOLDER : ""}:${
    account ? ACCOUNT_PLACEHOLDER : ""
  }:${rest}`;
}

/** The policy with placeholders in every Resource and NotResource ARN. */
export function withPlaceholders(policy: PolicyDocument): PolicyDocument {
  const swap = (
    v: unknown,
  ) => (Array.isArray(v)
    ? v.map((x) => arnWithPlaceholders(String(x)))
    : typeof v === "string"
    ? arnWithPlaceholders(v)
    : v);
  const statements = policy.Statement.map((s): Statement => {
    const out: Statement = { ...s };
    if ("Resource" in s) out.Resource = swap(s.Resource) as Statement["Resource"];
    if ("NotResource" in s) out.NotResource = swap(s.NotResource);
    return out;
  });
  return { ...policy, Statement: [...new Map(statements.map((s) => [JSON.stringify(s), s])).values()] };
}
