/** From matching changes to the report: de-duplicated, cut to the caps, in time order and by category. */
import { type CategoryId, CHANGE_CATEGORIES } from "./change_catalog.ts";
import type { ChangeEvent } from "./change_event.ts";
import { parseEventTime } from "../records/record.ts";

/** Where the events came from. */
export type ChangeSource = "cloudtrail-api" | "log-dir";

/** What the report says about the query. */
export interface ChangeMetadata {
  /** The alert window (ISO), and the lookback before it. */
  from: string;
  to: string;
  lookbackMinutes: number;
  /** The start of the window searched: `from` minus the lookback. */
  windowStart: string;
  regions: string[];
  source: ChangeSource;
  /** Matching changes found (after de-duplication). */
  eventCount: number;
  /** Changes in `events` (at most maxEvents, newest kept). */
  shownCount: number;
  /** True when maxEvents or perCategory left changes out. */
  truncated: boolean;
  maxEvents: number;
  perCategory: number;
  /** Changes left out of `grouped` by perCategory, per category (only categories that lost some). */
  moreByCategory: Partial<Record<CategoryId, number>>;
  durationMs: number;
  /** What failed (a region, AccessDenied, throttling) when the report is partial. */
  errors: string[];
  /** Inputs skipped (corrupt log files, unparseable events), by reason; present when any was. */
  skipped?: Record<string, number>;
}

/** The whole report, as `changes --format json` prints it. */
export interface ChangeReport {
  metadata: ChangeMetadata;
  /** Chronological. */
  events: ChangeEvent[];
  /** By category id, in report order; each chronological, at most perCategory (the newest). */
  grouped: Partial<Record<CategoryId, ChangeEvent[]>>;
}

/** Options of {@link buildChangeReport}. */
export interface ChangeReportOptions {
  alertFrom: number;
  alertTo: number;
  lookbackMinutes: number;
  regions: string[];
  source: ChangeSource;
  maxEvents: number;
  perCategory: number;
  durationMs: number;
  errors: string[];
  skipped?: Record<string, number>;
}

const timeOf = (e: ChangeEvent) => parseEventTime(e.eventTime) ?? 0;
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/** Builds the report: one entry per eventId, the newest maxEvents kept, then perCategory per category. */
export function buildChangeReport(found: ChangeEvent[], options: ChangeReportOptions): ChangeReport {
  const unique = new Map<string, ChangeEvent>();
  found.forEach((e, i) => unique.set(e.eventId || `#${i}`, e));
  const newestFirst = [...unique.values()].sort((a, b) => timeOf(b) - timeOf(a) || (a.eventId < b.eventId ? -1 : 1));
  const kept = newestFirst.slice(0, options.maxEvents);
  const grouped: Partial<Record<CategoryId, ChangeEvent[]>> = {};
  const moreByCategory: Partial<Record<CategoryId, number>> = {};
  for (const category of CHANGE_CATEGORIES) {
    const inCategory = kept.filter((e) => e.category === category.id);
    if (inCategory.length === 0) continue;
    grouped[category.id] = inCategory.slice(0, options.perCategory).reverse();
    if (inCategory.length > options.perCategory) moreByCategory[category.id] = inCategory.length - options.perCategory;
  }
  const windowStart = options.alertFrom - options.lookbackMinutes * 60_000;
  return {
    metadata: {
      from: iso(options.alertFrom),
      to: iso(options.alertTo),
      lookbackMinutes: options.lookbackMinutes,
      windowStart: iso(windowStart),
      regions: options.regions,
      source: options.source,
      eventCount: unique.size,
      shownCount: kept.length,
      truncated: kept.length < unique.size || Object.keys(moreByCategory).length > 0,
      maxEvents: options.maxEvents,
      perCategory: options.perCategory,
      moreByCategory,
      durationMs: options.durationMs,
      errors: options.errors,
      ...(options.skipped && Object.keys(options.skipped).length > 0 ? { skipped: options.skipped } : {}),
    },
    events: [...kept].reverse(),
    grouped,
  };
}

/** `45s`, `5m`, `2h 5m`, `3d 4h`: a duration for people. */
export function humanDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/**
 * When a change happened, for people: `5m before the alert` for changes before the
 * alert's start, otherwise `2m ago` counted back from the alert's end (`--to`).
 */
export function relativeTime(t: number, alertFrom: number, alertTo: number): string {
  return t < alertFrom ? `${humanDuration(alertFrom - t)} before the alert` : `${humanDuration(alertTo - t)} ago`;
}
