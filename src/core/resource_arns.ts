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
import { compareCodePoints } from "./compare_code_points.ts";
import { apiGatewayGrant } from "./apigateway_statement.ts";
import type { CloudTrailRecord } from "./record.ts";
import { arnCandidates, builtArnSuffix, partitionOf, PLACEHOLDER_PATTERNS, resourceValues } from "./resource_values.ts";

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
 * `concrete`: every resource the action needs has an ARN. `no-resource-level`: IAM
 * supports only `*` for the action. `no-arn`: no ARN could be built (or a required
 * resource type is missing), so `*` is kept.
 */
export type ArnOutcome = "concrete" | "no-resource-level" | "no-arn";

/** One action's resources for one record. */
export interface ActionResources {
  action: string;
  resources: string[];
  outcome: ArnOutcome;
}

const STAR = ["*"];

/** Resolves the resources of a record's actions; caches compiled formats. */
export class ResourceResolver {
  readonly #formats = new Map<string, ArnFormat>();

  constructor(private readonly catalog: ResourceCatalog, private readonly mode: ResourceMode = "precise") {}

  #compiled(format: string): ArnFormat {
    let compiled = this.#formats.get(format);
    if (!compiled) this.#formats.set(format, compiled = compileArnFormat(format, PLACEHOLDER_PATTERNS));
    return compiled;
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
    return (this.catalog.typesOf(action) ?? []).some((type) => this.#compiled(type.format).regex.test(arn));
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
    let candidates: string[] | undefined;
    const valuesByPrefix = new Map<string, ReturnType<typeof resourceValues>>();
    return actions.map((action) => {
      const types = this.catalog.typesOf(action);
      if (types === undefined) return { action, resources: STAR, outcome: "no-arn" };
      if (types.length === 0) return { action, resources: STAR, outcome: "no-resource-level" };
      const prefix = action.slice(0, action.indexOf(":"));
      candidates ??= arnCandidates(raw);
      let values = valuesByPrefix.get(prefix);
      if (!values) valuesByPrefix.set(prefix, values = resourceValues(prefix, raw));
      const found = new Set<string>();
      const covered = new Set<string>();
      for (const type of types) {
        const format = this.#compiled(type.format);
        const suffix = builtArnSuffix(prefix, type.name);
        const built = fillArn(format, values).map((arn) => arn + suffix);
        for (const arn of [...candidates, ...built]) {
          if (!format.regex.test(arn)) continue;
          found.add(this.#generalize(format, arn));
          covered.add(type.name);
        }
      }
      const missingRequired = types.some((t) => t.required && !covered.has(t.name));
      if (found.size === 0 || missingRequired) return { action, resources: STAR, outcome: "no-arn" };
      return { action, resources: [...found].sort(compareCodePoints), outcome: "concrete" };
    });
  }
}
