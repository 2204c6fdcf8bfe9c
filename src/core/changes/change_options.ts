/** The settings of `changes` from its options and the environment, checked: what a usage error names. */
import { type CategoryId, isCategoryId } from "./change_catalog.ts";

/** Options as given on the command line (strings where the environment may fill in). */
export interface ChangeOptionInput {
  lookback?: string | undefined;
  maxEvents?: string | undefined;
  perCategory: string;
  region: string[];
  regionAllowlist?: string | undefined;
  category: string[];
}

/** Checked settings. */
export interface ChangeSettings {
  lookbackMinutes: number;
  maxEvents: number;
  perCategory: number;
  /** Regions asked for (empty: the default region, or all regions of a log dir). */
  regions: string[];
  /** Allowed regions; undefined allows any. */
  allowlist: string[] | undefined;
  categories: CategoryId[];
}

/** Environment variables `changes` reads, with the options they stand in for. */
const CHANGE_ENV = {
  lookback: "AWS_CLOUDTRAIL_LOOKBACK_MINUTES",
  maxEvents: "AWS_CLOUDTRAIL_MAX_EVENTS",
  allowlist: "TRAILSCRAPER_REGION_ALLOWLIST",
} as const;

/** Defaults of the reference implementation. */
const CHANGE_DEFAULTS = { lookbackMinutes: 30, maxEvents: 50, perCategory: 5 } as const;

/** A whole number from `min` to `max` (400 digits were Infinity, `null` in the JSON), or the issue. */
function count(name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number | string {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    return `${name} takes a whole number of at least ${min}, got "${value}"`;
  }
  return Number(value) > max ? `${name} takes a whole number of at most ${max}, got "${value}"` : Number(value);
}

/** The longest lookback: 100 years (much longer, and the window would start before any time a date can hold). */
const MAX_LOOKBACK_MINUTES = 100 * 365 * 24 * 60;

/** The minutes of `--lookback` as given, else of `AWS_CLOUDTRAIL_LOOKBACK_MINUTES`, else 30; or the usage error. */
export function lookbackSetting(
  given: string | undefined,
  env: (name: string) => string | undefined,
): { ok: true; minutes: number } | { ok: false; issue: string } {
  const lookback = given ?? env(CHANGE_ENV.lookback);
  const minutes = lookback === undefined ? CHANGE_DEFAULTS.lookbackMinutes : count("--lookback", lookback, 0, Infinity);
  // No bound in count(): the lookback's own, with why (Infinity from 400 digits lands here too).
  if (typeof minutes === "string") return { ok: false, issue: minutes };
  if (minutes > MAX_LOOKBACK_MINUTES) {
    return {
      ok: false,
      issue: `--lookback takes at most ${MAX_LOOKBACK_MINUTES} minutes (100 years), got "${lookback}"`,
    };
  }
  return { ok: true, minutes };
}

/** Settings, or the usage error to report. Option values win over the environment, which wins over the defaults. */
export function changeSettings(
  input: ChangeOptionInput,
  env: (name: string) => string | undefined,
): { ok: true; settings: ChangeSettings } | { ok: false; issue: string } {
  const lookback = lookbackSetting(input.lookback, env);
  if (!lookback.ok) return lookback;
  const lookbackMinutes = lookback.minutes;
  const max = input.maxEvents ?? env(CHANGE_ENV.maxEvents);
  const maxEvents = max === undefined ? CHANGE_DEFAULTS.maxEvents : count("--max-events", max, 1);
  if (typeof maxEvents === "string") return { ok: false, issue: maxEvents };
  const perCategory = count("--per-category", input.perCategory, 1);
  if (typeof perCategory === "string") return { ok: false, issue: perCategory };
  const listed = input.regionAllowlist ?? env(CHANGE_ENV.allowlist);
  const allowlist = listed?.split(",").map((r) => r.trim()).filter((r) => r !== "");
  const refused = input.region.filter((r) => allowlist && !allowlist.includes(r));
  if (refused.length > 0) {
    return {
      ok: false,
      issue: `region "${refused[0]}" is not in the region allowlist (${allowlist!.join(", ")})`,
    };
  }
  const unknown = input.category.find((c) => !isCategoryId(c));
  if (unknown !== undefined) return { ok: false, issue: `unknown category "${unknown}"` };
  return {
    ok: true,
    settings: {
      lookbackMinutes,
      maxEvents,
      perCategory,
      regions: [...new Set(input.region)],
      allowlist: allowlist && allowlist.length > 0 ? allowlist : undefined,
      categories: input.category as CategoryId[],
    },
  };
}
