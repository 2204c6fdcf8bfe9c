/**
 * `generate --resources precise|prefix`: the ARNs each action of a record needs,
 * built from the record and checked against the action's ARN formats in the IAM
 * data. An ARN that does not match one of the action's formats is never used;
 * where none can be built the action keeps `*`, and the outcome says why.
 */
import {
  type ArnFormat,
  compileArnFormat,
  ENVIRONMENT_PLACEHOLDERS,
  fillArn,
  parseArn,
  renderArn,
} from "./arn_format.ts";
import { sortCodePoints } from "../util/compare_code_points.ts";
import { apiGatewayGrant } from "./apigateway_statement.ts";
import type { CloudTrailRecord } from "../records/record.ts";
import { paramSpecs } from "./resource_params.ts";
import {
  arnCandidates,
  builtArnSuffix,
  type CompiledSpecs,
  compileSpecs,
  environmentValues,
  partitionOf,
  PLACEHOLDER_PATTERNS,
  type RecordValues,
  recordValues,
} from "./resource_values.ts";

/** One resource type of an action, as the IAM data lists it. */
export interface ResourceType {
  name: string;
  /** The Service Authorization Reference marks it required: the call always names one. */
  required: boolean;
  /** Its ARN format, `arn:${Partition}:s3:::${BucketName}`. */
  format: string;
}

/** Where resource types come from (the IAM data in the program, a small table in tests). */
export interface ResourceCatalog {
  /** Undefined: IAM does not know the action. */
  typesOf(action: string): ResourceType[] | undefined;
}

/** `precise`: the ARNs as named; `prefix`: the last name of a nested ARN as `*` (`bucket/*`, `table/t/index/*`). */
export type ResourceMode = "precise" | "prefix";

/**
 * `concrete`: every resource the action needs has an ARN. `partial`: some have, and a required
 * resource type the record does not name is granted type-wide in the call's account and region
 * (`subnet/*`). `no-resource-level`: IAM supports only `*` for the action. `no-arn`: no ARN could
 * be built, so `*` is kept.
 */
export type ArnOutcome = "concrete" | "partial" | "no-resource-level" | "no-arn";

/** One action's resources for one record. */
export interface ActionResources {
  action: string;
  resources: string[];
  outcome: ArnOutcome;
}

const STAR = ["*"];
const NONE: ReadonlySet<string> = new Set();

/** The format filled with the record's values where it has them and `*` for the names it lacks (`b/*`, `subnet/*`). */
function typeWide(format: ArnFormat, values: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  return new Map(
    format.placeholders.map((p) => [p, [...(values.get(p) ?? (ENVIRONMENT_PLACEHOLDERS.has(p) ? [] : ["*"]))]]),
  );
}

/** True when a built ARN rests on a name from the record, not only on a table's literal (`instance/*`). */
function namesAResource(names: readonly string[], literal: ReadonlySet<string>): boolean {
  if (literal.size === 0) return names.length > 0;
  return names.some((p) => !literal.has(p));
}

/** What resolving one action takes, worked out once per action: its formats and where their values are. */
interface ActionPlan {
  /** `names`: the placeholders that are not Partition, Region or Account. */
  types: { name: string; required: boolean; format: ArnFormat; suffix: string; names: string[] }[];
  /** Undefined: no table knows the action, so every ARN of the record is a candidate. */
  specs: CompiledSpecs | undefined;
}

/**
 * The top-level keys of a raw record that {@link ResourceResolver.resolveGrant} reads: the region and account its
 * ARNs are in, the parameters and response that name resources, and `resources[]`.
 */
export const RESOLVER_FIELDS = [
  "awsRegion",
  "recipientAccountId",
  "requestParameters",
  "responseElements",
  "resources",
] as const;

/** Resolves the resources of a record's actions; caches compiled formats and one plan per action. */
export class ResourceResolver {
  readonly #formats = new Map<string, ArnFormat>();
  readonly #plans = new Map<string, ActionPlan | undefined>();

  constructor(private readonly catalog: ResourceCatalog, private readonly mode: ResourceMode = "precise") {}

  /** Actions with a plan held (for tests and diagnostics). */
  get plansHeld(): number {
    return this.#plans.size;
  }

  #compiled(format: string): ArnFormat {
    let compiled = this.#formats.get(format);
    if (!compiled) this.#formats.set(format, compiled = compileArnFormat(format, PLACEHOLDER_PATTERNS));
    return compiled;
  }

  /** Undefined when IAM does not know the action. */
  #plan(action: string): ActionPlan | undefined {
    if (this.#plans.has(action)) return this.#plans.get(action);
    const types = this.catalog.typesOf(action);
    let plan: ActionPlan | undefined;
    if (types !== undefined) {
      const prefix = action.slice(0, action.indexOf(":"));
      const compiled = types.map((t) => ({
        name: t.name,
        required: t.required,
        format: this.#compiled(t.format),
        suffix: builtArnSuffix(prefix, t.name),
        names: this.#compiled(t.format).placeholders.filter((p) => !ENVIRONMENT_PLACEHOLDERS.has(p)),
      }));
      // Only the placeholders of the action's own formats are looked for in the record.
      const placeholders = new Set(compiled.flatMap((t) => t.format.placeholders));
      const specs = types.length === 0 ? [] : paramSpecs(action, placeholders);
      plan = { types: compiled, specs: specs && compileSpecs(specs) };
    }
    // Only actions IAM knows are kept: a record may name any action, and a server must not grow with them.
    if (plan !== undefined) this.#plans.set(action, plan);
    return plan;
  }

  /** `prefix` mode: the last resource name of an ARN with two or more names becomes `*`. */
  #generalize(format: ArnFormat, arn: string): string {
    if (this.mode === "precise") return arn;
    const values = parseArn(format, arn);
    if (!values) return arn;
    const names = format.placeholders.flatMap((p, i) => (ENVIRONMENT_PLACEHOLDERS.has(p) ? [] : [i]));
    const last = names.at(-1);
    if (names.length < 2 || last === undefined) return arn;
    values[last] = "*";
    return renderArn(format, values);
  }

  /** True when `arn` fits one of the action's ARN formats. */
  #fits(action: string, arn: string): boolean {
    return (this.#plan(action)?.types ?? []).some((type) => type.format.regex.test(arn));
  }

  /** The resources of each action of a record's grant (from `recordGrant`): API Gateway's paths or built ARNs. */
  resolveGrant(record: CloudTrailRecord, grant: { actions: string[]; resources: string[] }): ActionResources[] {
    return grant.actions[0]?.startsWith("apigateway:")
      ? this.#resolveApiGateway(record, grant)
      : this.resolve(record.raw, grant.actions);
  }

  /**
   * API Gateway's resources are request paths (`grant`, from `apiGatewayGrant`): with the call's API, stage, ... ids
   * and region filled in they are concrete when they fit the action's formats; else the path patterns stay.
   */
  #resolveApiGateway(record: CloudTrailRecord, grant: { actions: string[]; resources: string[] }): ActionResources[] {
    const region = typeof record.raw.awsRegion === "string" ? record.raw.awsRegion : "";
    const { requestParameters } = record;
    const filled = region === "" ? undefined : apiGatewayGrant(record.eventName, requestParameters, {
      region,
      partition: partitionOf(region),
      requestParameters,
    });
    return grant.actions.map((action) => {
      const concrete = filled !== undefined &&
        filled.resources.every((arn) => !/[*?]/.test(arn) && this.#fits(action, arn));
      return concrete
        ? { action, resources: filled.resources, outcome: "concrete" }
        : { action, resources: grant.resources, outcome: "no-arn" };
    });
  }

  /** The resources of each action of one raw record. */
  resolve(raw: Record<string, unknown>, actions: readonly string[]): ActionResources[] {
    return actions.map((action) => {
      const plan = this.#plan(action);
      if (plan === undefined) return { action, resources: STAR, outcome: "no-arn" };
      if (plan.types.length === 0) return { action, resources: STAR, outcome: "no-resource-level" };
      const found: RecordValues = plan.specs
        ? recordValues(plan.specs, raw)
        : { values: environmentValues(raw), candidates: arnCandidates(raw), literal: NONE };
      return this.#resolveFound(action, plan, found);
    });
  }

  #resolveFound(action: string, plan: ActionPlan, { values, candidates, literal }: RecordValues): ActionResources {
    // Runs once per action of every record: arrays, not sets (a handful of ARNs), no closures.
    const found: string[] = [];
    const covered: string[] = [];
    let named = false;
    for (const type of plan.types) {
      const { format } = type;
      let hit = false;
      for (const built of fillArn(format, values)) {
        // A value that does not fit the placeholder (`alias/app` as a KMS key id) builds no ARN.
        const arn = built + type.suffix;
        if (!format.regex.test(arn)) continue;
        const granted = this.#generalize(format, arn);
        if (!found.includes(granted)) found.push(granted);
        hit = true;
      }
      if (hit && !named) named = namesAResource(type.names, literal);
      // `instance/*` of a launch covers every instance ARN the record lists (in resources[] or the response).
      const wide = hit && literal.size > 0 && type.names.every((p) => literal.has(p));
      for (const arn of wide ? [] : candidates) {
        if (!format.regex.test(arn)) continue;
        const granted = this.#generalize(format, arn);
        if (!found.includes(granted)) found.push(granted);
        hit = named = true;
      }
      if (hit && !covered.includes(type.name)) covered.push(type.name);
    }
    // Only a table's literal (RunInstances' `instance/*`) is no resource the record names.
    if (!named) return { action, resources: STAR, outcome: "no-arn" };
    let outcome: ArnOutcome = "concrete";
    for (const type of plan.types) {
      if (!type.required || covered.includes(type.name)) continue;
      // A call that names some of its resources (RunInstances' image, not its subnet): a required type it does not
      // name is granted on every resource of the type in the call's account and region.
      const wide = fillArn(type.format, typeWide(type.format, values));
      if (wide.length === 0) return { action, resources: STAR, outcome: "no-arn" };
      for (const arn of wide) if (!found.includes(arn)) found.push(arn);
      outcome = "partial";
    }
    // An exact-size copy: a pushed-to array keeps spare slots, and the policy keeps this one per distinct statement.
    return { action, resources: found.length === 1 ? [found[0]!] : sortCodePoints(found).slice(), outcome };
  }
}
