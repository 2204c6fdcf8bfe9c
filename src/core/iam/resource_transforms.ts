/**
 * The hand-written exceptions of `data/resource_arns.json`: how one parameter value becomes the values of ARN
 * placeholders when it is not the name itself (a queue URL, a secret's name without its suffix, a Lambda function
 * given as a partial ARN or with a qualifier).
 */

/**
 * Turns one parameter value into placeholder values (none when the value does not fit). The key `*` holds ARNs to
 * test against the action's formats. `readsArns`: the transform also gets values that are ARNs.
 */
export type Transform =
  & ((value: string, placeholder: string, raw: Record<string, unknown>) =>
    | Record<string, string[]>
    | undefined)
  & { readsArns?: boolean };

const QUEUE_URL = /^https?:\/\/[^/]+\/(\d{12})\/([^/?#]+)$/;
// `name`, `name:qualifier`, `123456789012:function:name[:qualifier]`, `arn:aws:lambda:r:123456789012:function:...`.
const LAMBDA =
  /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?(?:(\d{12}):function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/;
const SECRET_SUFFIX = /:secret:.+-[A-Za-z0-9]{6}$/;
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:(\d{12}):log-group:([^:]+)(?::\*)?$/;

function lambdaFunction(value: string, _placeholder: string, raw: Record<string, unknown>) {
  const m = LAMBDA.exec(value);
  if (!m) return undefined;
  const [, arn, account, name = "", ownQualifier] = m;
  const params = raw.requestParameters as Record<string, unknown> | undefined;
  const qualifier = ownQualifier ?? (typeof params?.qualifier === "string" ? params.qualifier : undefined);
  // Lambda authorises a call with a version or alias on the qualified ARN (`function:name:live`).
  const qualified = qualifier ? `${name}:${qualifier}` : name;
  if (arn) return { "*": [`${arn}${qualified}`] };
  return account ? { FunctionName: [qualified], Account: [account] } : { FunctionName: [qualified] };
}
lambdaFunction.readsArns = true;

/** A log group named by name or by ARN (`logGroupIdentifier`): log-group actions are granted on `NAME:*`. */
function logGroupName(value: string, placeholder: string) {
  const m = LOG_GROUP_ARN.exec(value);
  if (m) return { [placeholder]: [m[2]!], Account: [m[1]!] };
  return value.startsWith("arn:") ? undefined : { [placeholder]: [value] };
}
logGroupName.readsArns = true;

/**
 * A secret's ARN ends in '-' and six random characters that a name, and a partial ARN, do not carry: IAM sees the
 * full ARN.
 */
function secretName(value: string, placeholder: string) {
  if (!value.startsWith("arn:")) return { [placeholder]: [`${value}-??????`] };
  return { "*": [SECRET_SUFFIX.test(value) ? value : `${value}-??????`] };
}
secretName.readsArns = true;

/** The transforms the table may name. */
export const TRANSFORMS: Record<string, Transform> = {
  /** `https://sqs.<region>.amazonaws.com/<account>/<name>`: the name, and the queue's own account. */
  queueUrl: (v) => {
    const m = QUEUE_URL.exec(v);
    return m ? { QueueName: [m[2]!], Account: [m[1]!] } : undefined;
  },
  noLeadingSlash: (v, p) => ({ [p]: [v.replace(/^\//, "")] }),
  /** GetParametersByPath is authorised on the path itself (`/app/` as `parameter/app/` and `parameter/app`). */
  parameterPath: (v, p) => {
    const path = v.replace(/^\//, "");
    const bare = path.replace(/\/+$/, "");
    if (bare === "") return undefined;
    return { [p]: path === bare ? [path] : [path, bare] };
  },
  secretName,
  lambdaFunction,
  logGroupName,
  /** A stack's ARN ends in the id CloudFormation gave it at creation, which a call by name does not carry. */
  anyStackId: (_v, p) => ({ [p]: ["*"] }),
  /** An IAM name without its path: the entity may sit at '/' or below a path. */
  iamName: (v, p) => ({ [p]: [v, `*/${v}`] }),
};
