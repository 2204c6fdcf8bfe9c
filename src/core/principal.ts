/** Who made a call, as one key per principal: what `generate --per-principal` groups records by. */
import { isObject } from "./data_table.ts";
import type { CloudTrailRecord } from "./record.ts";

/**
 * The principal of a record: the role ARN for an assumed role (its sessionIssuer), the
 * user's or root's ARN, `service:<name>` for an AWS service, else `unknown`.
 */
export function principalOf(record: CloudTrailRecord): string {
  if (record.assumedRoleArn) return record.assumedRoleArn;
  const identity = isObject(record.raw.userIdentity) ? record.raw.userIdentity : {};
  if (identity.type === "AWSService") {
    const service = identity.invokedBy ?? record.raw.invokedBy;
    return `service:${typeof service === "string" ? service : "unknown"}`;
  }
  return record.identityArn ?? "unknown";
}
