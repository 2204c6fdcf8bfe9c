/**
 * What a CloudTrail record says about the resources it touched: ARNs it names
 * (`resources[]`, ARN-valued request parameters and response elements) and the
 * names that fill IAM's ARN formats (`data/resource_arns.json`).
 */
import table from "../../data/resource_arns.json" with { type: "json" };
import { arrayOf, isObject, isString, loadTable, recordOf } from "./data_table.ts";

const values = loadTable(table.values, "resource_arns.json values", recordOf(arrayOf(isString)));
/** Value patterns of placeholders that may hold ':' or '/'. */
export const PLACEHOLDER_PATTERNS: Readonly<Record<string, string>> = loadTable(
  table.patterns,
  "resource_arns.json patterns",
  isString,
);
const suffixes = loadTable(table.suffixes, "resource_arns.json suffixes", recordOf(isString));

/** True when the table says where the names of this service's resources come from. */
export function hasResourceValues(prefix: string): boolean {
  return Object.hasOwn(values, prefix);
}

/** Text appended to an ARN of this resource type built from names (`log-group:NAME:*`). */
export function builtArnSuffix(prefix: string, resourceType: string): string {
  return suffixes[prefix]?.[resourceType] ?? "";
}

type Values = Map<string, string[]>;
/** A transform turns one parameter value into placeholder values (none when the value does not fit). */
type Transform = (value: string, placeholder: string) => Record<string, string[]> | undefined;

const QUEUE_URL = /^https?:\/\/[^/]+\/(\d{12})\/([^/?#]+)$/;
const LAMBDA_NAME = /^(?:(\d{12}):function:)?([A-Za-z0-9_-]+)$/;

const TRANSFORMS: Record<string, Transform> = {
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
  /** A secret's ARN ends in '-' and six random characters that a name does not carry. */
  secretName: (v, p) => ({ [p]: [`${v}-??????`] }),
  /** `name` or `<account>:function:name`; a qualified name (`name:alias`) is left to the `*` fallback. */
  lambdaFunction: (v) => {
    const m = LAMBDA_NAME.exec(v);
    if (!m) return undefined;
    return m[1] ? { FunctionName: [m[2]!], Account: [m[1]] } : { FunctionName: [m[2]!] };
  },
  /** A stack's ARN ends in the id CloudFormation gave it at creation, which a call by name does not carry. */
  anyStackId: (_v, p) => ({ [p]: ["*"] }),
  /** An IAM name without its path: the entity may sit at '/' or below a path. */
  iamName: (v, p) => ({ [p]: [v, `*/${v}`] }),
};

/** The strings at a path like `requestParameters.instancesSet.items[].instanceId`. */
function stringsAt(raw: unknown, path: string): string[] {
  let current: unknown[] = [raw];
  for (const step of path.split(".")) {
    const many = step.endsWith("[]");
    const key = many ? step.slice(0, -2) : step;
    const next: unknown[] = [];
    for (const node of current) {
      if (!isObject(node)) continue;
      const value = node[key];
      if (many && Array.isArray(value)) next.push(...value);
      else if (!many) next.push(value);
    }
    current = next;
  }
  return current.filter((v): v is string => typeof v === "string" && v !== "");
}

function add(into: Values, placeholder: string, value: string): void {
  const list = into.get(placeholder);
  if (!list) into.set(placeholder, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** The partition of a region: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, else `aws`. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Placeholder values for one service's ARN formats from one raw record. */
export function resourceValues(prefix: string, raw: Record<string, unknown>): Values {
  const out: Values = new Map();
  for (const [placeholder, paths] of Object.entries(values[prefix] ?? {})) {
    for (const spec of paths) {
      const [path = "", transformName] = spec.split("|");
      const transform = transformName === undefined ? undefined : TRANSFORMS[transformName];
      for (const value of stringsAt(raw, path)) {
        if (value.startsWith("arn:")) continue; // an ARN is used as it is (see arnCandidates)
        if (!transform) {
          add(out, placeholder, value);
          continue;
        }
        for (const [name, list] of Object.entries(transform(value, placeholder) ?? {})) {
          for (const v of list) add(out, name, v);
        }
      }
    }
  }
  const region = raw.awsRegion;
  if (typeof region === "string" && region !== "") {
    add(out, "Region", region);
    add(out, "Partition", partitionOf(region));
  }
  // The resource's own account when a name carried one (a queue URL), else the account the call went to.
  if (!out.has("Account") && typeof raw.recipientAccountId === "string") add(out, "Account", raw.recipientAccountId);
  return out;
}

const MAX_DEPTH = 6;
const MAX_ARNS = 200;

function collectArns(node: unknown, depth: number, into: Set<string>): void {
  if (into.size >= MAX_ARNS || depth > MAX_DEPTH) return;
  if (typeof node === "string") {
    if (node.startsWith("arn:")) into.add(node);
  } else if (Array.isArray(node)) {
    for (const item of node) collectArns(item, depth + 1, into);
  } else if (isObject(node)) {
    for (const item of Object.values(node)) collectArns(item, depth + 1, into);
  }
}

/** The ARNs a record names: `resources[].ARN`, then ARN strings in its request parameters and response elements. */
export function arnCandidates(raw: Record<string, unknown>): string[] {
  const found = new Set<string>();
  if (Array.isArray(raw.resources)) {
    for (const r of raw.resources) if (isObject(r) && typeof r.ARN === "string") found.add(r.ARN);
  }
  collectArns(raw.requestParameters, 0, found);
  collectArns(raw.responseElements, 0, found);
  return [...found];
}
