/** The policy gates of the MCP server: AWS access off by default, and a region allowlist. */

/** How the server was started. */
export interface McpGates {
  allowAwsRead: boolean;
  /** Allowed regions; undefined allows any. */
  regionAllowlist: string[] | undefined;
}

/** The gates from the flags and the environment (`TRAILSCRAPER_MCP_ALLOW_AWS_READ`, `TRAILSCRAPER_REGION_ALLOWLIST`). */
export function mcpGates(
  flags: { allowAwsRead: boolean; regionAllowlist?: string | undefined },
  env: (name: string) => string | undefined,
): McpGates {
  const allow = flags.allowAwsRead || /^(1|true|yes)$/i.test(env("TRAILSCRAPER_MCP_ALLOW_AWS_READ") ?? "");
  const list = (flags.regionAllowlist ?? env("TRAILSCRAPER_REGION_ALLOWLIST"))?.split(",").map((r) => r.trim())
    .filter((r) => r !== "");
  return { allowAwsRead: allow, regionAllowlist: list && list.length > 0 ? list : undefined };
}

/** Why a tool call may not run (which gate), or undefined when it may; checked before any AWS call. */
export function gateRefusal(call: { usesAws: boolean; regions: string[] }, gates: McpGates): string | undefined {
  if (call.usesAws && !gates.allowAwsRead) {
    return "AWS access is off: start the server with --allow-aws-read (or TRAILSCRAPER_MCP_ALLOW_AWS_READ=true), " +
      "or with --log-dir to answer from local logs";
  }
  const refused = call.regions.find((r) => gates.regionAllowlist && !gates.regionAllowlist.includes(r));
  if (refused !== undefined) {
    return `region "${refused}" is not in the region allowlist (${gates.regionAllowlist!.join(", ")})`;
  }
  return undefined;
}

/** The tool argument standing for each CLI flag the commands' messages may name. */
const ARGUMENT_OF_FLAG: Record<string, string> = {
  from: "from",
  to: "to",
  lookback: "lookbackMinutes",
  "max-events": "maxEvents",
  region: "regions",
  resource: "resourceIds",
  category: "categories",
  "filter-assumed-role-arn": "principalArn",
  resources: "resources",
  compact: "compact",
};

/** A command's message in a tool's terms: its CLI flags (`--from`) named as the tool's arguments (`from`). */
export function inToolTerms(message: string): string {
  return message.replace(
    /(?<![\w-])--([a-z][a-z-]*)(?![\w-])/g,
    (flag, name: string) => ARGUMENT_OF_FLAG[name] ?? flag,
  );
}
