/**
 * IAM ARN formats as the Service Authorization Reference writes them
 * (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`): check an ARN against one,
 * read its names back, and fill one in.
 */

/** Placeholders every format fills from the record itself, not from a resource name. */
export const ENVIRONMENT_PLACEHOLDERS: ReadonlySet<string> = new Set(["Partition", "Region", "Account"]);

const ENVIRONMENT_PATTERNS: Record<string, string> = {
  Partition: "aws(?:-[a-z]+)*",
  Region: "[a-z]{2}(?:-[a-z]+)+-\\d+",
  Account: "\\d{12}|aws",
};
/** A resource name: no ':' and no '/', unless the placeholder has its own pattern. */
const DEFAULT_PATTERN = "[^:/]+";
const PLACEHOLDER = /\$\{([A-Za-z0-9]+)\}/g;

/** One compiled format. */
export interface ArnFormat {
  readonly format: string;
  /** The placeholders, in order. */
  readonly placeholders: readonly string[];
  /** The literal text around them (one more than placeholders). */
  readonly literals: readonly string[];
  readonly regex: RegExp;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Compiles a format; `patterns` gives the value pattern of placeholders that may hold ':' or '/'. */
export function compileArnFormat(format: string, patterns: Readonly<Record<string, string>> = {}): ArnFormat {
  const placeholders: string[] = [];
  const literals: string[] = [];
  let last = 0;
  for (const m of format.matchAll(PLACEHOLDER)) {
    literals.push(format.slice(last, m.index));
    placeholders.push(m[1]!);
    last = m.index + m[0].length;
  }
  literals.push(format.slice(last));
  const source = literals.map((literal, i) => {
    const name = placeholders[i];
    if (name === undefined) return escape(literal);
    return `${escape(literal)}(${ENVIRONMENT_PATTERNS[name] ?? patterns[name] ?? DEFAULT_PATTERN})`;
  }).join("");
  return { format, placeholders, literals, regex: new RegExp(`^${source}$`) };
}

/** The placeholder values of an ARN that matches the format, in order; undefined when it does not match. */
export function parseArn(format: ArnFormat, arn: string): string[] | undefined {
  const m = format.regex.exec(arn);
  return m ? m.slice(1) : undefined;
}

/** The format with its placeholders replaced by `values` (in order). */
export function renderArn(format: ArnFormat, values: readonly string[]): string {
  return format.literals.map((literal, i) => literal + (values[i] ?? "")).join("");
}

/** Every ARN the format yields from the values offered per placeholder (cross product, at most `limit`). */
export function fillArn(
  format: ArnFormat,
  values: ReadonlyMap<string, readonly string[]>,
  limit = 64,
): string[] {
  // Runs for every resource type of every action of every record: most lack a value, most others have one each.
  const options: (readonly string[])[] = [];
  let single = true;
  for (const name of format.placeholders) {
    const offered = values.get(name);
    if (!offered || offered.length === 0) return [];
    options.push(offered);
    if (offered.length > 1) single = false;
  }
  if (single) return [renderArn(format, options.map((o) => o[0]!))];
  let combos: string[][] = [[]];
  for (const offered of options) {
    combos = combos.flatMap((combo) => offered.map((v) => [...combo, v])).slice(0, limit);
  }
  return combos.map((combo) => renderArn(format, combo));
}
