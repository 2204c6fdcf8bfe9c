/**
 * What `changes` looks for and where, checked and typed. The command builds it from its option strings
 * ({@link changesQuery}); the MCP tool `cloudtrail_changes` builds it from its typed arguments (mcp_tools.ts).
 */
import { UsageError } from "../runtime/errors.ts";
import { timeRange } from "../runtime/time_option.ts";
import { type ChangeSettings, changeSettings } from "../core/changes/change_options.ts";
import type { ChangeFormat } from "../output/changes_report.ts";

/** Options of `changes`, as the command line gives them (strings where the environment may fill in). */
export interface ChangesOptions {
  from: string;
  to: string;
  lookback?: string | undefined;
  region: string[];
  regionAllowlist?: string | undefined;
  maxEvents?: string | undefined;
  perCategory: string;
  format: ChangeFormat;
  bestEffort: boolean;
  resource: string[];
  category: string[];
  actor: string[];
  failed: boolean;
  logDir?: string | undefined;
  workers: number;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  verbose: boolean;
}

/** A checked `changes` query: the alert window, the settings, the filters and the source to read. */
export interface ChangesQuery extends ChangeSettings {
  /** Start of the alert, epoch ms; changes are looked for from `lookbackMinutes` before it. */
  alertFrom: number;
  /** End of the alert, epoch ms. */
  alertTo: number;
  /** Only changes by these ARNs (empty: anyone). */
  actors: string[];
  /** Only changes of these resource ids or names (empty: every write event). */
  resources: string[];
  /** Keep failed attempts (AccessDenied, ...). */
  includeFailed: boolean;
  /** A source's failure becomes an entry of the report instead of an error. */
  bestEffort: boolean;
  /** Read this log dir or sync archive (`~` is expanded when it is read) instead of the CloudTrail API. */
  logDir?: string | undefined;
  /** With a log dir: parallel Web Workers (0: none). */
  workers: number;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  /** Name each skipped input on stderr. */
  verbose: boolean;
}

/** Where the command's options are read against: the time "now" means, and the environment. */
export interface ChangesQueryContext {
  now: number;
  env: (name: string) => string | undefined;
}

/**
 * `resources` with the white space around each trimmed (a pasted " sg-1 " matched nothing), or a UsageError naming
 * `option` when one is blank (a blank id matched nothing, silently).
 */
export function checkedResources(resources: string[], option: string): string[] {
  return trimmedValues(resources, option, { takes: "a resource id or name", valid: (r) => r !== "" });
}

/** An ARN's shape: partition, service, region (may be empty), account (may be empty), then a resource. */
const ARN = /^arn:[^:\s]+:[^:\s]+:[^:\s]*:[^:\s]*:\S/;

/** `actors` trimmed like resources, or a UsageError when one is blank or not an ARN (it could match no change). */
export function checkedActors(actors: string[], option: string): string[] {
  return trimmedValues(actors, option, { takes: "a role, user or session ARN", valid: (a) => ARN.test(a) });
}

function trimmedValues(
  values: string[],
  option: string,
  { takes, valid }: { takes: string; valid: (trimmed: string) => boolean },
): string[] {
  const bad = values.find((v) => !valid(v.trim()));
  if (bad !== undefined) throw new UsageError(`${option} takes ${takes}, got ${JSON.stringify(bad)}`);
  return values.map((v) => v.trim());
}

/**
 * The query of the command's options, the environment filling in what they leave out
 * (`AWS_CLOUDTRAIL_LOOKBACK_MINUTES`, `AWS_CLOUDTRAIL_MAX_EVENTS`, `TRAILSCRAPER_REGION_ALLOWLIST`).
 * Throws a one-line UsageError on the first bad input: the times first, then the numbers, regions, categories, a
 * blank or non-ARN --actor and a blank --resource. White space around an actor or a resource is trimmed.
 */
export function changesQuery(options: ChangesOptions, context: ChangesQueryContext): ChangesQuery {
  const { from, to } = timeRange(options, context.now);
  const checked = changeSettings(options, context.env);
  if (!checked.ok) throw new UsageError(checked.issue);
  return {
    ...checked.settings,
    alertFrom: from,
    alertTo: to,
    actors: checkedActors(options.actor, "--actor"),
    resources: checkedResources(options.resource, "--resource"),
    includeFailed: options.failed,
    bestEffort: options.bestEffort,
    logDir: options.logDir,
    workers: options.workers,
    profile: options.profile,
    endpointUrl: options.endpointUrl,
    verbose: options.verbose,
  };
}
