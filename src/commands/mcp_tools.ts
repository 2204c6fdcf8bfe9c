/**
 * The MCP tools: thin adapters over the commands' own code (`changes`, `select`,
 * `generate`), each checked against the server's gates before it touches AWS.
 */
import { UsageError } from "../cli/errors.ts";
import type { Io } from "../cli/io.ts";
import { timeOption } from "../cli/time_option.ts";
import { gateRefusal, type McpGates } from "../core/mcp_gates.ts";
import { PolicyGenerator } from "../core/policy_generator.ts";
import type { RequestPacer } from "../core/request_pacer.ts";
import type { ResourceMode } from "../core/resource_arns.ts";
import { renderChangesText } from "../output/changes_report.ts";
import { iamLevels } from "../core/iam_levels.ts";
import { checkPolicy } from "../core/policy_check.ts";
import { checkSummary } from "../output/policy_check_report.ts";
import { renderPolicy } from "../output/policy_json.ts";
import { changesReport } from "./changes.ts";
import { queryEvents } from "./events_query.ts";
import { resolverFor } from "./resource_resolver.ts";

/** What every tool needs from the server. */
export interface ToolContext {
  gates: McpGates;
  io: Io;
  logDir?: string | undefined;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  pacerFor: (region: string) => RequestPacer;
  /** The region when a call names none: the configured one (AWS_REGION, the profile's), else us-east-1. */
  defaultRegion: string;
}

/** A tool's answer: text contents, or an error the agent can read. */
export interface ToolAnswer {
  content: { type: "text"; text: string }[];
  isError?: boolean;
}

const error = (text: string): ToolAnswer => ({ content: [{ type: "text", text }], isError: true });

/** Runs a tool body; a refused gate, a usage error or an AWS failure becomes one line with isError. */
async function answer(ctx: ToolContext, regions: string[], body: () => Promise<ToolAnswer>): Promise<ToolAnswer> {
  const refusal = gateRefusal({ usesAws: ctx.logDir === undefined, regions }, ctx.gates);
  if (refusal) return error(refusal);
  try {
    return await body();
  } catch (e) {
    return error(e instanceof Error ? e.message.split("\n")[0]! : String(e));
  }
}

/** Inputs of `cloudtrail_changes`. */
export interface ChangesInput {
  from?: string | undefined;
  to?: string | undefined;
  lookbackMinutes?: number | undefined;
  regions?: string[] | undefined;
  resourceIds?: string[] | undefined;
  categories?: string[] | undefined;
  maxEvents?: number | undefined;
}

/** `cloudtrail_changes`: the `changes --format json` report and its Markdown. */
export function changesTool(ctx: ToolContext, input: ChangesInput): Promise<ToolAnswer> {
  const regions = input.regions?.length ? input.regions : ctx.logDir === undefined ? [ctx.defaultRegion] : [];
  return answer(ctx, regions, async () => {
    const { report } = await changesReport(
      {
        from: input.from ?? "now",
        to: input.to ?? "now",
        ...(input.lookbackMinutes !== undefined ? { lookback: String(input.lookbackMinutes) } : {}),
        region: regions,
        ...(ctx.gates.regionAllowlist ? { regionAllowlist: ctx.gates.regionAllowlist.join(",") } : {}),
        maxEvents: String(input.maxEvents ?? 20),
        perCategory: "5",
        format: "json",
        bestEffort: true,
        resource: input.resourceIds ?? [],
        category: input.categories ?? [],
        actor: [],
        failed: true,
        logDir: ctx.logDir,
        workers: 0,
        profile: ctx.profile,
        endpointUrl: ctx.endpointUrl,
        verbose: false,
      },
      ctx.io,
      ctx.pacerFor,
    );
    if (report.metadata.errors.length > 0 && report.events.length === 0) return error(report.metadata.errors[0]!);
    return {
      content: [
        { type: "text", text: renderChangesText(report) },
        { type: "text", text: JSON.stringify(report) },
      ],
    };
  });
}

/** Inputs of `cloudtrail_events` (and the selection of `generate_policy`). */
export interface EventsInput {
  principalArn?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  regions?: string[] | undefined;
  maxEvents?: number | undefined;
}

async function selectRecords(ctx: ToolContext, input: EventsInput, regions: string[], maxEvents: number) {
  const now = ctx.io.clock.now();
  const result = await queryEvents({
    principalArn: input.principalArn,
    from: timeOption("from", input.from ?? "one hour ago", now),
    to: timeOption("to", input.to ?? "now", now),
    regions,
    maxEvents,
    logDir: ctx.logDir,
    profile: ctx.profile,
    endpointUrl: ctx.endpointUrl,
    pacerFor: ctx.pacerFor,
  }, ctx.io);
  if (result.errors.length > 0 && result.records.length === 0) throw new UsageError(result.errors[0]!);
  return result;
}

/** `cloudtrail_events`: the records of a principal and window, compact JSON, capped. */
export function eventsTool(ctx: ToolContext, input: EventsInput): Promise<ToolAnswer> {
  const regions = input.regions?.length ? input.regions : [ctx.defaultRegion];
  return answer(ctx, ctx.logDir === undefined ? regions : [], async () => {
    const result = await selectRecords(ctx, input, regions, input.maxEvents ?? 50);
    const summary = `${result.records.length} records from ${result.source}` +
      (result.truncated ? ` (capped at ${input.maxEvents ?? 50}; narrow the window for the rest)` : "") +
      (result.errors.length ? `; failed: ${result.errors.join("; ")}` : "");
    return {
      content: [
        { type: "text", text: summary },
        { type: "text", text: JSON.stringify({ Records: result.records, truncated: result.truncated }) },
      ],
    };
  });
}

/** Inputs of `generate_policy`: records, or a principal and window to select them by; how to write the policy. */
export interface PolicyInput extends EventsInput {
  records?: Record<string, unknown>[] | undefined;
  /** As `generate --resources`. */
  resources?: ResourceMode | undefined;
  /** As `generate --compact`. */
  compact?: boolean | undefined;
}

/** A generator as the tool's input asks for it (the IAM resource table loads only for `resources`). */
async function generatorFor(input: PolicyInput): Promise<PolicyGenerator> {
  return new PolicyGenerator({ observe: true, resolver: await resolverFor(input.resources) });
}

/** Records at most `generate_policy` selects itself. */
const POLICY_SELECT_CAP = 10_000;

/** `generate_policy`: the least-privilege policy of the records, as `generate` prints it. */
export function policyTool(ctx: ToolContext, input: PolicyInput): Promise<ToolAnswer> {
  if (input.records) {
    const records = input.records;
    return generatorFor(input).then(async (generator) => {
      for (const r of records) generator.add(r);
      return await policyAnswer(generator, input.compact === true);
    });
  }
  if (!input.principalArn) {
    return Promise.resolve(error("give records, or a principalArn (with from/to) to select them"));
  }
  const regions = input.regions?.length ? input.regions : [ctx.defaultRegion];
  return answer(ctx, ctx.logDir === undefined ? regions : [], async () => {
    const result = await selectRecords(ctx, input, regions, POLICY_SELECT_CAP);
    const generator = await generatorFor(input);
    for (const r of result.records) generator.add(r);
    const note = result.truncated ? ` (from the first ${POLICY_SELECT_CAP} records)` : "";
    return await policyAnswer(generator, input.compact === true, note);
  });
}

/** The policy, a one-line summary, and its self-check (every observed call evaluated against it). */
async function policyAnswer(generator: PolicyGenerator, compact: boolean, note = ""): Promise<ToolAnswer> {
  const result = generator.result();
  if (compact) {
    const { compactPolicy } = await import("../core/policy_compact.ts");
    result.policy = compactPolicy(result.policy, iamLevels).policy;
  }
  const check = checkPolicy(result.policy, generator.observed?.calls() ?? [], iamLevels);
  return {
    content: [
      { type: "text", text: renderPolicy(result.policy) },
      {
        type: "text",
        text: `${result.records} records${note} -> ${result.policy.Statement.length} statements` +
          (result.unknownActions.length ? `; not in the IAM data: ${result.unknownActions.join(", ")}` : "") +
          `\n${checkSummary(check)}`,
      },
    ],
  };
}
