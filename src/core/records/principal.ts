/** Who made a call, as one key per principal: what `generate --per-principal` groups records by. */
import { isObject } from "../util/data_table.ts";
import type { CloudTrailRecord } from "./record.ts";

/** The top-level keys of a raw record that {@link principalOf} reads (with `parseRecord`'s `userIdentity`). */
export const PRINCIPAL_FIELDS = ["userIdentity", "invokedBy"] as const;

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

/** A `--filter-assumed-role-arn` value as the role ARN to match, with a note when it was read as another form. */
export type RoleFilterArn = { ok: true; arn: string; note?: string } | { ok: false; issue: string };

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
const SESSION_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

/**
 * Reads a role filter: a role ARN as it is, an STS assumed-role session ARN as its role (every session of it), and
 * anything else (a bare role name, a user ARN) as an issue that says what to pass.
 */
export function roleFilterArn(value: string): RoleFilterArn {
  if (ROLE_ARN.test(value)) return { ok: true, arn: value };
  const session = SESSION_ARN.exec(value);
  if (session) {
    const [, partition, account, role] = session;
    const arn = `arn:${partition}:iam::${account}:role/${role}`;
    return { ok: true, arn, note: `"${value}" is a session of role ${role}: selecting every session of ${arn}` };
  }
  const example = value.startsWith("arn:") || value === ""
    ? "arn:aws:iam::111122223333:role/NAME"
    : `arn:aws:iam::<account id>:role/${value}`;
  return {
    ok: false,
    issue: `--filter-assumed-role-arn takes the ARN of a role (${example}) or of one of its sessions ` +
      `(arn:aws:sts::<account id>:assumed-role/NAME/SESSION); got "${value}"`,
  };
}
