/** Account ids and regions in a policy's resource ARNs as `${AWS::AccountId}` / `${AWS::Region}`, for IaC templates. */
import type { PolicyDocument, Statement } from "./policy.ts";

/** The placeholder names, as CloudFormation's pseudo parameters spell them. */
export const ACCOUNT_PLACEHOLDER = "${AWS::AccountId}";
export const REGION_PLACEHOLDER = "${AWS::Region}";

const ARN = /^arn:(aws[a-z-]*):([^:]*):([a-z]{2}(?:-[a-z]+)+-\d)?:(\d{12})?:(.*)$/s;

/** The account and region the placeholders stand for; ARNs of other accounts and regions keep theirs. */
export interface Home {
  account: string | undefined;
  region: string | undefined;
}

/** One ARN with its region and account fields replaced (other strings as they are); only `home`'s when given. */
export function arnWithPlaceholders(value: string, home?: Home): string {
  const m = ARN.exec(value);
  if (!m) return value;
  const [, partition, service, region, account, rest] = m;
  const swapRegion = region !== undefined && (home === undefined || region === home.region);
  const swapAccount = account !== undefined && (home === undefined || account === home.account);
  return `arn:${partition}:${service}:${swapRegion ? REGION_PLACEHOLDER : region ?? ""}:${
    swapAccount ? ACCOUNT_PLACEHOLDER : account ?? ""
  }:${rest}`;
}

const resourcesOf = (s: Statement): string[] =>
  [s.Resource, s.NotResource].flatMap((v) => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []));

function mostCommon(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: [string, number] | undefined;
  for (const entry of counts) {
    if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
  }
  return best?.[0];
}

/**
 * The account and region most ARNs of the policy name: the ones a template deployed in that account
 * and region stands for. A policy granting on another account's queue keeps that account's id.
 */
function policyHome(policy: PolicyDocument): Home {
  const parts = policy.Statement.flatMap(resourcesOf).map((arn) => ARN.exec(arn)).filter((m) => m !== null);
  return { account: mostCommon(parts.map((m) => m[4])), region: mostCommon(parts.map((m) => m[3])) };
}

/** The policy with placeholders for its home account and region in every Resource and NotResource ARN. */
export function withPlaceholders(policy: PolicyDocument): PolicyDocument {
  const home = policyHome(policy);
  const swap = (
    v: unknown,
  ) => (Array.isArray(v)
    ? v.map((x) => arnWithPlaceholders(String(x), home))
    : typeof v === "string"
    ? arnWithPlaceholders(v, home)
    : v);
  const statements = policy.Statement.map((s): Statement => {
    const out: Statement = { ...s };
    if ("Resource" in s) out.Resource = swap(s.Resource) as Statement["Resource"];
    if ("NotResource" in s) out.NotResource = swap(s.NotResource);
    return out;
  });
  return { ...policy, Statement: [...new Map(statements.map((s) => [JSON.stringify(s), s])).values()] };
}
