/**
 * What a CloudTrail record says about the resources it touched: the names at the paths an action's
 * table names (`resource_params.ts`), filled into IAM's ARN formats, and the ARNs it names (`resources[]`,
 * ARN-valued parameters and response elements).
 */
import table from "../../../data/resource_arns.json" with { type: "json" };
import { isObject, isString, loadTable } from "../util/data_table.ts";
import { ARN_PATHS, type ParamSpec } from "./resource_params.ts";
import { type Transform, TRANSFORMS } from "./resource_transforms.ts";

/** Value patterns of placeholders that may hold ':' or '/'. */
export const PLACEHOLDER_PATTERNS: Readonly<Record<string, string>> = loadTable(
  table.patterns,
  "resource_arns.json patterns",
  isString,
);
const suffixes = loadTable(
  table.suffixes,
  "resource_arns.json suffixes",
  (v): v is Record<string, string> => isObject(v) && Object.values(v).every(isString),
);

/** Text appended to an ARN of this resource type built from names (`log-group:NAME:*`). */
export function builtArnSuffix(prefix: string, resourceType: string): string {
  return suffixes[prefix]?.[resourceType] ?? "";
}

/** Placeholder values, each list in first-seen order without repeats. */
export type Values = Map<string, string[]>;

/** A path {@link ParamSpec} ready to run: its path split into steps, its transform looked up. */
export interface CompiledSpec {
  placeholder: string;
  steps: { key: string; many: boolean }[];
  transform?: Transform;
}

/** An action's specs, compiled: the paths to read, and the literal values (`=*`) of placeholders. */
export interface CompiledSpecs {
  paths: CompiledSpec[];
  literals: [placeholder: string, value: string][];
}

/** Compiles specs once per action; an unknown transform name is a table error. */
export function compileSpecs(specs: readonly ParamSpec[]): CompiledSpecs {
  const compiled: CompiledSpecs = { paths: [], literals: [] };
  for (const spec of specs) {
    if ("literal" in spec) {
      compiled.literals.push([spec.placeholder, spec.literal]);
      continue;
    }
    const steps = spec.path.split(".").map((step) =>
      step.endsWith("[]") ? { key: step.slice(0, -2), many: true } : { key: step, many: false }
    );
    if (spec.transform === undefined) {
      compiled.paths.push({ placeholder: spec.placeholder, steps });
      continue;
    }
    const transform = TRANSFORMS[spec.transform];
    if (!transform) throw new Error(`data/resource_arns.json: unknown transform "${spec.transform}"`);
    compiled.paths.push({ placeholder: spec.placeholder, steps, transform });
  }
  return compiled;
}

/** Values kept per placeholder and items per array: a hostile record with 100,000 ids costs no more than 64. */
const MAX_VALUES = 64;

/** The strings at a path (`requestParameters.instancesSet.items[].instanceId`). */
function stringsAt(raw: unknown, steps: CompiledSpec["steps"]): string[] {
  let current: unknown[] = [raw];
  for (const { key, many } of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (!isObject(node)) continue;
      const value = node[key];
      if (value === undefined || value === null) continue;
      if (!many) next.push(value);
      else if (Array.isArray(value)) next.push(...value.slice(0, MAX_VALUES));
    }
    if (next.length > MAX_VALUES) next.length = MAX_VALUES;
    if (next.length === 0) return [];
    current = next;
  }
  return current.filter((v): v is string => typeof v === "string" && v !== "");
}

function add(into: Values, placeholder: string, value: string): void {
  const list = into.get(placeholder);
  if (!list) into.set(placeholder, [value]);
  else if (list.length < MAX_VALUES && !list.includes(value)) list.push(value);
}

/** The partition of a region: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, else `aws`. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Placeholder values and candidate ARNs of one action, from one raw record. */
export interface RecordValues {
  values: Values;
  /** ARNs the record names at the action's paths and in `resources[]`, to test against its formats. */
  candidates: string[];
  /** Placeholders with only a table's literal value (`=*`): the record does not name them. */
  literal: ReadonlySet<string>;
}

/**
 * The values at an action's paths: an ARN is a candidate as it is (or goes through a transform that reads ARNs),
 * other values go through the placeholder's transform. Partition, Region and Account come from the record.
 */
export function recordValues(specs: CompiledSpecs, raw: Record<string, unknown>): RecordValues {
  const values: Values = new Map();
  const candidates = resourceArns(raw);
  const candidate = (arn: string) => {
    if (candidates.length < MAX_ARNS) candidates.push(arn);
  };
  for (const spec of specs.paths) {
    const { placeholder, transform } = spec;
    for (const value of stringsAt(raw, spec.steps)) {
      const isArn = value.startsWith("arn:");
      if (placeholder === ARN_PATHS || (isArn && !transform?.readsArns)) {
        if (isArn) candidate(value);
      } else if (!transform) {
        add(values, placeholder, value);
      } else {
        const out = transform(value, placeholder, raw);
        for (const name in out) for (const v of out[name]!) name === ARN_PATHS ? candidate(v) : add(values, name, v);
      }
    }
  }
  let literal: Set<string> | undefined;
  for (const [placeholder, value] of specs.literals) {
    if (!values.has(placeholder)) (literal ??= new Set()).add(placeholder);
    add(values, placeholder, value);
  }
  addEnvironment(values, raw);
  return { values, candidates, literal: literal ?? NO_LITERALS };
}

const NO_LITERALS: ReadonlySet<string> = new Set();

function addEnvironment(values: Values, raw: Record<string, unknown>): void {
  const region = raw.awsRegion;
  if (typeof region === "string" && region !== "") {
    add(values, "Region", region);
    add(values, "Partition", partitionOf(region));
  }
  // The resource's own account when a name carried one (a queue URL), else the account the call went to.
  if (!values.has("Account") && typeof raw.recipientAccountId === "string") {
    add(values, "Account", raw.recipientAccountId);
  }
}

/** Only Partition, Region and Account: for an action no table knows. */
export function environmentValues(raw: Record<string, unknown>): Values {
  const values: Values = new Map();
  addEnvironment(values, raw);
  return values;
}

function resourceArns(raw: Record<string, unknown>): string[] {
  if (!Array.isArray(raw.resources) || raw.resources.length === 0) return [];
  const out: string[] = [];
  for (const r of raw.resources) {
    if (out.length >= MAX_ARNS) break; // a hostile record's 100,000 cost no more than the ARNs found elsewhere
    if (isObject(r) && typeof r.ARN === "string") out.push(r.ARN);
  }
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

/**
 * For an action no table knows: `resources[].ARN`, then every ARN string in the request parameters and response
 * elements (bounded in depth and count).
 */
export function arnCandidates(raw: Record<string, unknown>): string[] {
  const found = new Set<string>(resourceArns(raw));
  collectArns(raw.requestParameters, 0, found);
  collectArns(raw.responseElements, 0, found);
  return [...found];
}
