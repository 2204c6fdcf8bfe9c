/**
 * The MCP tools: thin adapters over the commands' own code (`changes`, `select`,
 * `generate`), each checked against the server's gates before it touches AWS.
 */
import { UsageError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import { timeOption, timeRange } from "../runtime/time_option.ts";
import type { CategoryId } from "../core/changes/change_catalog.ts";
import { lookbackSetting } from "../core/changes/change_options.ts";
import { gateRefusal, inToolTerms, type McpGates } from "../core/mcp/mcp_gates.ts";
import { PolicyGenerator } from "../core/policy/policy_generator.ts";
import type { RequestPacer } from "../core/util/request_pacer.ts";
import type { ResourceMode } from "../core/iam/resource_arns.ts";
import { renderChangesText } from "../output/changes_report.ts";
import { breakdown, total } from "../core/util/counts.ts";
import { checkPolicy } from "../core/policy/policy_check.ts";
import { escapeControl } from "../output/escape_control.ts";
import { checkSummary } from "../output/policy_check_report.ts";
import { renderPolicy } from "../output/policy_json.ts";
import { changesReport } from "./changes.ts";
import { type ChangesQuery, checkedResources } from "./changes_query.ts";
import { type EventsResult, queryEvents } from "./events_query.ts";
import { resolverFor } from "../steps/resource_resolver.ts";

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

/** A tool error: one line, control characters from input (an endpoint's message, an argument) escaped. */
const error = (text: string): ToolAnswer => ({
  content: [{ type: "text", text: inToolTerms(escapeControl(text)) }],
  isError: true,
});

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
  categories?: CategoryId[] | undefined;
  maxEvents?: number | undefined;
}

/** What a `cloudtrail_changes` call asks for, typed: its arguments, the tool's defaults and the server's settings. */
function toolChangesQuery(ctx: ToolContext, input: ChangesInput, regions: string[]): ChangesQuery {
  const { from, to } = timeRange({ from: input.from ?? "now", to: input.to ?? "now" }, ctx.io.clock.now());
  // Without lookbackMinutes, the server's AWS_CLOUDTRAIL_LOOKBACK_MINUTES applies, as for the command.
  const lookback = input.lookbackMinutes === undefined
    ? lookbackSetting(undefined, ctx.io.env)
    : { ok: true as const, minutes: input.lookbackMinutes };
  if (!lookback.ok) throw new UsageError(lookback.issue);
  return {
    alertFrom: from,
    alertTo: to,
    lookbackMinutes: lookback.minutes,
    maxEvents: input.maxEvents ?? 20,
    perCategory: 5,
    regions: [...new Set(regions)],
    allowlist: ctx.gates.regionAllowlist,
    categories: input.categories ?? [],
    actors: [],
    resources: checkedResources(input.resourceIds ?? [], "resourceIds"),
    includeFailed: true,
    bestEffort: true,
    logDir: ctx.logDir,
    workers: 0,
    profile: ctx.profile,
    endpointUrl: ctx.endpointUrl,
    verbose: false,
  };
}

/** `cloudtrail_changes`: the `changes --format json` report and its Markdown. */
export function changesTool(ctx: ToolContext, input: ChangesInput): Promise<ToolAnswer> {
  const regions = input.regions?.length ? input.regions : ctx.logDir === undefined ? [ctx.defaultRegion] : [];
  return answer(ctx, regions, async () => {
    const query = toolChangesQuery(ctx, input, regions);
    const { report, collected } = await changesReport(query, ctx.io, ctx.pacerFor);
    if (report.metadata.errors.length > 0 && report.events.length === 0) return error(report.metadata.errors[0]!);
    const { skippedInputs, skippedRecords, otherFiles } = collected;
    const note = skippedNote(collected).replace(/^; /, "");
    return {
      content: [
        { type: "text", text: renderChangesText(report) + (note ? `\n${note}\n` : "") },
        { type: "text", text: JSON.stringify({ ...report, skippedInputs, skippedRecords, otherFiles }) },
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

/** The window and principal a selection used, resolved. */
interface Selection {
  from: number;
  to: number;
  principal: string;
}

async function selectRecords(ctx: ToolContext, input: EventsInput, regions: string[], maxEvents: number) {
  const now = ctx.io.clock.now();
  const from = timeOption("from", input.from ?? "one hour ago", now);
  const to = timeOption("to", input.to ?? "now", now);
  if (from > to) {
    throw new UsageError(
      `from (${input.from ?? "one hour ago"}) is after to (${input.to ?? "now"}): nothing can be in that range`,
    );
  }
  const result = await queryEvents({
    principalArn: input.principalArn,
    from,
    to,
    regions,
    maxEvents,
    logDir: ctx.logDir,
    profile: ctx.profile,
    endpointUrl: ctx.endpointUrl,
    pacerFor: ctx.pacerFor,
  }, ctx.io);
  if (result.errors.length > 0 && result.records.length === 0) throw new UsageError(result.errors[0]!);
  const selection: Selection = { from, to, principal: input.principalArn ?? "every principal" };
  return { ...result, selection };
}

/** `; skipped: 1 log files (1 not gzip data), 2 records (2 nested too deeply to process)`, or nothing. */
function skippedNote(result: Pick<EventsResult, "skippedInputs" | "skippedRecords" | "otherFiles">): string {
  const parts = [
    total(result.skippedInputs) ? `${total(result.skippedInputs)} inputs (${breakdown(result.skippedInputs)})` : "",
    total(result.skippedRecords) ? `${total(result.skippedRecords)} records (${breakdown(result.skippedRecords)})` : "",
  ].filter((p) => p !== "");
  const other = total(result.otherFiles);
  return escapeControl(
    (parts.length ? `; skipped ${parts.join(", ")}` : "") +
      (other ? `; ${other} other files passed over (${breakdown(result.otherFiles)})` : ""),
  );
}

/** Why a selection found nothing: what it looked at, and what to change. */
function emptyNote(input: EventsInput, result: EventsResult, selection: Selection): string {
  const iso = (t: number) => new Date(t).toISOString().replace(".000Z", "Z");
  const window = input.from === undefined && input.to === undefined ? " (the default window: the last hour)" : "";
  return `: none of ${selection.principal} between ${iso(selection.from)} and ${iso(selection.to)}${window}` +
    ` in ${result.inputs} ${result.source === "log-dir" ? "log files" : "API pages"} read; ` +
    (window ? "give from and to" : "widen from and to") +
    (input.principalArn === undefined ? "" : ", or check principalArn (a role's ARN matches its sessions)");
}

/** `cloudtrail_events`: the records of a principal and window, compact JSON, capped. */
export function eventsTool(ctx: ToolContext, input: EventsInput): Promise<ToolAnswer> {
  const regions = input.regions?.length ? input.regions : [ctx.defaultRegion];
  return answer(ctx, ctx.logDir === undefined ? regions : [], async () => {
    const result = await selectRecords(ctx, input, regions, input.maxEvents ?? 50);
    const summary = `${result.records.length} records from ${result.source}` +
      (result.records.length === 0 ? emptyNote(input, result, result.selection) : "") +
      (result.truncated ? ` (capped at ${input.maxEvents ?? 50}; narrow the window for the rest)` : "") +
      skippedNote(result) +
      (result.errors.length ? `; failed: ${result.errors.join("; ")}` : "");
    const { records, truncated, errors, skippedInputs, skippedRecords, otherFiles } = result;
    return {
      content: [
        { type: "text", text: inToolTerms(summary) },
        {
          type: "text",
          text: JSON.stringify({ Records: records, truncated, errors, skippedInputs, skippedRecords, otherFiles }),
        },
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
    const note = (result.truncated ? ` (from the first ${POLICY_SELECT_CAP} records)` : "") +
      (result.records.length === 0 ? emptyNote(input, result, result.selection) : "") + skippedNote(result) +
      (result.errors.length ? `; failed: ${result.errors.join("; ")}` : "");
    return await policyAnswer(generator, input.compact === true, note);
  });
}

/** The policy, a one-line summary, and its self-check (every observed call evaluated against it). */
async function policyAnswer(generator: PolicyGenerator, compact: boolean, note = ""): Promise<ToolAnswer> {
  const result = generator.result();
  // The IAM levels table (1.29 MB) is parsed at the first policy, not at server start.
  const { iamLevels } = await import("../core/policy/iam_levels.ts");
  if (compact) {
    const { compactPolicy } = await import("../core/policy/policy_compact.ts");
    result.policy = compactPolicy(result.policy, iamLevels).policy;
  }
  const check = checkPolicy(result.policy, generator.observed?.unsorted() ?? [], iamLevels);
  return {
    content: [
      { type: "text", text: renderPolicy(result.policy) },
      {
        type: "text",
        text: `${result.records} records -> ${result.policy.Statement.length} statements${note}` +
          (total(result.skipped) ? `; skipped ${total(result.skipped)} records (${breakdown(result.skipped)})` : "") +
          (result.unknownActions.length ? `; not in the IAM data: ${result.unknownActions.join(", ")}` : "") +
          `\n${checkSummary(check)}`,
      },
    ],
  };
}
