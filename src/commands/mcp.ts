/** `mcp`: the CLI's answers as Model Context Protocol tools over stdio, for AI agents. Logs go to stderr only. */
import process from "node:process";
import type { Io } from "../cli/io.ts";
import { expandLogDir } from "../cli/log_dir.ts";
import { VERSION } from "../cli/version.ts";
import { CHANGE_CATEGORIES } from "../core/change_catalog.ts";
import { mcpGates } from "../core/mcp_gates.ts";
import type { RequestPacer } from "../core/request_pacer.ts";
import { FALLBACK_REGION, regionOrFallback } from "../sources/aws_options.ts";
import { lookupPacer } from "../sources/cloudtrail_api.ts";
import {
  type ChangesInput,
  changesTool,
  type EventsInput,
  eventsTool,
  type PolicyInput,
  policyTool,
  type ToolContext,
} from "./mcp_tools.ts";

/** Options of `mcp`. */
export interface McpOptions {
  allowAwsRead: boolean;
  regionAllowlist?: string | undefined;
  logDir?: string | undefined;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  verbose: boolean;
}

/** Most changes and records a call may ask for (chat results stay small). */
const MAX_CHANGES = 100;
const MAX_EVENTS = 500;

/** Serves until stdin closes. */
export async function runMcp(options: McpOptions, io: Io): Promise<void> {
  const { McpServer } = await import("@modelcontextprotocol/sdk/server/mcp.js");
  const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
  const { z } = await import("zod");
  const gates = mcpGates(options, io.env);
  const pacers = new Map<string, RequestPacer>();
  // One pacer per region for the whole server: concurrent tool calls keep to LookupEvents' limit together.
  const pacerFor = (region: string) => pacers.get(region) ?? pacers.set(region, lookupPacer()).get(region)!;
  // Tools never write to stdout: it carries the protocol. What a command would print is dropped; stderr is the log.
  const toolIo: Io = { ...io, stdout: { write: () => Promise.resolve(), writeBytes: () => Promise.resolve() } };
  const ctx: ToolContext = {
    gates,
    io: toolIo,
    logDir: options.logDir === undefined ? undefined : expandLogDir(options.logDir, io),
    profile: options.profile,
    endpointUrl: options.endpointUrl,
    pacerFor,
    // The region rule of every command (aws_options.ts); the fallback is said once, in the server's log.
    defaultRegion: options.logDir === undefined
      ? await regionOrFallback(options, io.env, (text) => io.stderr.write(text))
      : FALLBACK_REGION,
  };

  const server = new McpServer({ name: "trailscraper", version: VERSION });
  const time = z.string().describe('ISO time, a date, or an expression like "2 hours ago"');
  const regions = z.array(z.string()).max(20).describe("AWS regions to query (default: the server's region)");
  server.registerTool("cloudtrail_changes", {
    description: "Infrastructure changes (security groups, IAM, Auto Scaling, EC2, storage, databases, networking, " +
      "load balancers) before and during an alert, grouped by category with a timeline. Read-only.",
    inputSchema: {
      from: time.optional().describe("start of the alert (default: now)"),
      to: time.optional().describe("end of the alert (default: now)"),
      lookbackMinutes: z.number().int().min(0).max(1440).optional().describe("minutes before `from` (default 30)"),
      regions: regions.optional(),
      resourceIds: z.array(z.string()).max(20).optional().describe("only changes of these resource ids or names"),
      categories: z.array(z.enum(CHANGE_CATEGORIES.map((c) => c.id) as [string, ...string[]])).optional(),
      maxEvents: z.number().int().min(1).max(MAX_CHANGES).optional().describe("at most this many changes (default 20)"),
    },
  }, (input: ChangesInput) => changesTool(ctx, input));
  server.registerTool("cloudtrail_events", {
    description: "CloudTrail records of a role, user or session ARN in a time window, compact JSON, capped. Read-only.",
    inputSchema: {
      principalArn: z.string().optional().describe("role ARN (as session issuer), IAM user ARN or session ARN"),
      from: time.optional().describe("default: one hour ago"),
      to: time.optional().describe("default: now"),
      regions: regions.optional(),
      maxEvents: z.number().int().min(1).max(MAX_EVENTS).optional().describe("default 50"),
    },
  }, (input: EventsInput) => eventsTool(ctx, input));
  server.registerTool("generate_policy", {
    description: "A least-privilege IAM policy from CloudTrail records, given or selected by principal and window.",
    inputSchema: {
      records: z.array(z.record(z.unknown())).max(10_000).optional().describe("CloudTrail records"),
      principalArn: z.string().optional(),
      from: time.optional(),
      to: time.optional(),
      regions: regions.optional(),
      resources: z.enum(["precise", "prefix"]).optional().describe(
        "build each action's resource ARNs from the records (default: the records' resources[], else *)",
      ),
      compact: z.boolean().optional().describe("merge actions into wildcards that add no access level"),
    },
  }, (input: PolicyInput) => policyTool(ctx, input));

  const transport = new StdioServerTransport();
  // The client closing stdin ends the server (the transport itself does not notice the end of its input).
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
  });
  await server.connect(transport);
  await io.stderr.write(
    `trailscraper mcp: serving on stdio (AWS access ${gates.allowAwsRead ? "on" : "off"}` +
      `${gates.regionAllowlist ? `, regions ${gates.regionAllowlist.join(", ")}` : ""}` +
      `${ctx.logDir ? `, log dir ${ctx.logDir}` : ""})\n`,
  );
  await closed;
  await server.close();
}
