/** `mcp`: the CLI's answers as Model Context Protocol tools over stdio, for AI agents. Logs go to stderr only. */
import type { Io } from "../runtime/io.ts";
import { expandLogDir } from "../runtime/log_dir_option.ts";
import { VERSION } from "../runtime/version.ts";
import { InputError } from "../runtime/errors.ts";
import { errorMessage } from "../core/util/error_message.ts";
import { type CategoryId, CHANGE_CATEGORIES } from "../core/changes/change_catalog.ts";
import { BoundedCache } from "../core/util/bounded_cache.ts";
import { mcpGates } from "../core/mcp/mcp_gates.ts";
import type { RequestPacer } from "../core/util/request_pacer.ts";
import { checkEndpoint, FALLBACK_REGION, regionOrFallback } from "../sources/aws_options.ts";
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
import { LineTransport } from "./mcp_transport.ts";

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
/** The largest message read, and the most records `generate_policy` takes in one (10,000 of ~3 KB fit). */
export const MAX_MESSAGE_BYTES = 32 * 2 ** 20;
const MAX_RECORDS = 10_000;
/** Regions with a pacer of their own at most (a call may name any string as a region). */
const MAX_PACERS = 64;

/** Serves until stdin closes. */
export async function runMcp(options: McpOptions, io: Io): Promise<void> {
  const { McpServer } = await import("@modelcontextprotocol/sdk/server/mcp.js");
  const { JSONRPCMessageSchema } = await import("@modelcontextprotocol/sdk/types.js");
  const ctx = await toolContext(options, io);
  const server = new McpServer({ name: "trailscraper", version: VERSION });
  await registerTools(server, ctx);

  const transport = new LineTransport(io.stdin, io.stdout, {
    maxMessageBytes: MAX_MESSAGE_BYTES,
    isMessage: (value) => JSONRPCMessageSchema.safeParse(value).success,
  });
  // The client closing stdin ends the server, once every request read is answered.
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  const { gates } = ctx;
  await io.stderr.write(
    `trailscraper mcp: serving on stdio (AWS access ${gates.allowAwsRead ? "on" : "off"}` +
      `${gates.regionAllowlist ? `, regions ${gates.regionAllowlist.join(", ")}` : ""}` +
      `${ctx.logDir ? `, log dir ${ctx.logDir}` : ""})\n`,
  );
  await closed;
  await server.close();
  // Input that could not be read (stdin a directory) is a failure, not the client's end of the session.
  const failed = transport.readError;
  if (failed) {
    throw failed instanceof InputError ? failed : new InputError(`cannot read stdin: ${errorMessage(failed)}`);
  }
}

/** What every tool call shares: the gates, the pacers, the log dir or AWS settings, the default region. */
async function toolContext(options: McpOptions, io: Io): Promise<ToolContext> {
  const pacers = new BoundedCache<string, RequestPacer>(MAX_PACERS);
  // Tools never write to stdout: it carries the protocol. What a command would print is dropped; stderr is the log.
  const toolIo: Io = { ...io, stdout: { write: () => Promise.resolve(), writeBytes: () => Promise.resolve() } };
  const gates = mcpGates(options, io.env);
  // The endpoint every AWS tool call would use is checked at start: a usage error (exit 2), not a tool error per call.
  if (gates.allowAwsRead && options.logDir === undefined) await checkEndpoint(options, io.env, "CLOUDTRAIL");
  return {
    gates,
    io: toolIo,
    logDir: options.logDir === undefined ? undefined : expandLogDir(options.logDir, io),
    profile: options.profile,
    endpointUrl: options.endpointUrl,
    // One pacer per region for the whole server: concurrent tool calls keep to LookupEvents' limit together.
    pacerFor: (region: string) => pacers.get(region, lookupPacer),
    // The region rule of every command (aws_options.ts); the fallback is said once, in the server's log.
    defaultRegion: options.logDir === undefined
      ? await regionOrFallback(options, io.env, (text) => io.stderr.write(text))
      : FALLBACK_REGION,
  };
}

type Server = InstanceType<typeof import("@modelcontextprotocol/sdk/server/mcp.js").McpServer>;

/** The three tools, their input schemas and annotations. */
async function registerTools(server: Server, ctx: ToolContext): Promise<void> {
  const { z } = await import("zod");
  // A schema object used twice would be written once and referenced (`$ref`), which many LLM tool-schema
  // converters reject: each property gets a schema of its own.
  const time = () => z.string().describe('ISO time, a date, or an expression like "2 hours ago"');
  const regions = () => z.array(z.string()).max(20).describe("AWS regions to query (default: the server's region)");
  // Read-only; open world (AWS) unless the server answers from a log dir.
  const annotations = { readOnlyHint: true, destructiveHint: false, openWorldHint: ctx.logDir === undefined };
  server.registerTool("cloudtrail_changes", {
    description: "Infrastructure changes (security groups, IAM, Auto Scaling, EC2, storage, databases, networking, " +
      "load balancers) before and during an alert, grouped by category with a timeline. Read-only.",
    inputSchema: {
      from: time().optional().describe("start of the alert (default: now)"),
      to: time().optional().describe("end of the alert (default: now)"),
      lookbackMinutes: z.number().int().min(0).max(1440).optional().describe("minutes before `from` (default 30)"),
      regions: regions().optional(),
      resourceIds: z.array(z.string()).max(20).optional().describe("only changes of these resource ids or names"),
      categories: z.array(z.enum(CHANGE_CATEGORIES.map((c) => c.id) as [CategoryId, ...CategoryId[]])).optional(),
      maxEvents: z.number().int().min(1).max(MAX_CHANGES).optional().describe("at most this many changes (default 20)"),
    },
    annotations: { title: "CloudTrail changes", ...annotations },
  }, (input: ChangesInput) => changesTool(ctx, input));
  server.registerTool("cloudtrail_events", {
    description: "CloudTrail records of a role, user or session ARN in a time window, compact JSON, capped. Read-only.",
    inputSchema: {
      principalArn: z.string().optional().describe(
        "role ARN (as session issuer), IAM user ARN or session ARN (default: every principal)",
      ),
      from: time().optional().describe("default: one hour ago"),
      to: time().optional().describe("default: now"),
      regions: regions().optional(),
      maxEvents: z.number().int().min(1).max(MAX_EVENTS).optional().describe("default 50"),
    },
    annotations: { title: "CloudTrail events", ...annotations },
  }, (input: EventsInput) => eventsTool(ctx, input));
  server.registerTool("generate_policy", {
    description: "A least-privilege IAM policy from CloudTrail records, given or selected by principal and window.",
    inputSchema: {
      records: z.array(z.record(z.unknown())).max(MAX_RECORDS).optional().describe(
        `CloudTrail records: at most ${MAX_RECORDS}, in a request of at most ${MAX_MESSAGE_BYTES / 2 ** 20} MiB`,
      ),
      principalArn: z.string().optional(),
      from: time().optional(),
      to: time().optional(),
      regions: regions().optional(),
      resources: z.enum(["precise", "prefix"]).optional().describe(
        "build each action's resource ARNs from the records (default: the records' resources[], else *)",
      ),
      compact: z.boolean().optional().describe("merge actions into wildcards that add no access level"),
    },
    annotations: { title: "Generate IAM policy", ...annotations },
  }, (input: PolicyInput) => policyTool(ctx, input));
}
