// deno-lint-ignore-file no-console
/**
 * Writes data/aws_regions.json: the regions of the `aws` partition, from the AWS
 * SDK's endpoint partitions (`@aws-sdk/core`, a dependency of the SDK clients).
 *
 * Run: deno run --allow-read --allow-write=data scripts/update_regions.ts
 */
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const store = join(root, "node_modules/.deno");
const core = [...Deno.readDirSync(store)].map((e) => e.name).filter((n) => n.startsWith("@aws-sdk+core@")).sort().pop();
if (!core) throw new Error("no @aws-sdk/core in node_modules: run deno install first");
const source = Deno.readTextFileSync(
  join(store, core, "node_modules/@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js"),
);
const info = JSON.parse(source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1)) as {
  partitions: { id: string; regions: Record<string, unknown> }[];
};
const aws = info.partitions.find((p) => p.id === "aws")!;
const regions = Object.keys(aws.regions).filter((r) => /^[a-z]{2}-[a-z]+-\d$/.test(r)).sort();
const comment = "The regions of the aws partition, from the AWS SDK's endpoint partitions (@aws-sdk/core " +
  "partitions.js); sync init asks DescribeTrails in each, and skips those not enabled for the account. " +
  "Regenerate with scripts/update_regions.ts.";
Deno.writeTextFileSync(
  join(root, "data/aws_regions.json"),
  JSON.stringify({ _comment: comment, regions }, null, 2) + "\n",
);
console.error(`data/aws_regions.json: ${regions.length} regions (${core})`);
