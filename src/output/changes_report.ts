/** The `changes` report as Markdown (pipes, chat, tickets), plain text (a terminal) or JSON. */
import { categoryById, type CategoryId, CHANGE_CATEGORIES } from "../core/changes/change_catalog.ts";
import type { ChangeEvent } from "../core/changes/change_event.ts";
import { type ChangeReport, humanDuration, relativeTime } from "../core/changes/change_report.ts";
import { parseEventTime } from "../core/records/record.ts";
import { escapeControl as esc } from "./escape_control.ts";

/** Report formats of `changes`. */
export type ChangeFormat = "markdown" | "text" | "json";

const SOURCE_NAMES = { "cloudtrail-api": "CloudTrail LookupEvents", "log-dir": "local logs" } as const;

/** `2024-03-01 09:42:10` (UTC). */
function clock(iso: string): string {
  return iso.slice(0, 19).replace("T", " ");
}

/** An ARN shown by its resource part (`targetgroup/web/73e2...`), control characters escaped; the JSON keeps it whole. */
function shortResource(id: string): string {
  return esc(id.startsWith("arn:") ? id.split(":").slice(5).join(":") || id : id);
}

function eventLine(e: ChangeEvent, report: ChangeReport, md: boolean): string {
  const t = parseEventTime(e.eventTime) ?? 0;
  const from = Date.parse(report.metadata.from);
  const to = Date.parse(report.metadata.to);
  const name = md ? `**${esc(e.eventName)}**` : esc(e.eventName);
  const resources = e.resources.length
    ? " " + e.resources.map((r) => (md ? `\`${shortResource(r)}\`` : shortResource(r))).join(", ")
    : "";
  const failed = e.errorCode ? ` · ❌ failed: ${esc(e.errorCode)}` : "";
  return `${name}${resources} · ${relativeTime(t, from, to)} (${clock(e.eventTime).slice(11)}) · ${
    esc(e.actor.name)
  } · ` +
    `${esc(e.region)}${failed}`;
}

function metadataLine(report: ChangeReport): string {
  const m = report.metadata;
  const n = `${m.eventCount} change${m.eventCount === 1 ? "" : "s"}`;
  return `${n} from ${clock(m.windowStart)} to ${clock(m.to)} UTC (alert from ${clock(m.from).slice(11)}, ` +
    `lookback ${m.lookbackMinutes} min) · ${esc(m.regions.join(", ")) || "all regions"} · ${
      SOURCE_NAMES[m.source]
    } · ` +
    `${humanDuration(m.durationMs) === "0s" ? `${m.durationMs} ms` : humanDuration(m.durationMs)}`;
}

/** The Markdown (or, with `md` false, plain text) report: metadata, one block per category, then a timeline. */
export function renderChangesText(report: ChangeReport, md = true): string {
  const m = report.metadata;
  const h = (level: number, text: string) => (md ? `${"#".repeat(level)} ${text}` : text.toUpperCase());
  const bullet = md ? "- " : "  - ";
  const lines = [
    h(3, "CloudTrail / Infrastructure Changes"),
    "",
    md ? `_${metadataLine(report)}_` : metadataLine(report),
  ];
  for (const error of m.errors) lines.push("", `${md ? "> " : ""}⚠️ partial result: ${esc(error)}`);
  if (m.shownCount < m.eventCount) {
    lines.push("", `Showing the newest ${m.shownCount} of ${m.eventCount} changes (--max-events ${m.maxEvents}).`);
  }
  if (report.events.length === 0) {
    lines.push("", "No infrastructure changes found in this window.");
    return lines.join("\n") + "\n";
  }
  for (const category of CHANGE_CATEGORIES) {
    const events = report.grouped[category.id];
    if (!events) continue;
    const total = events.length + (m.moreByCategory[category.id] ?? 0);
    lines.push("", h(4, `${category.indicator} ${category.label} (${total})`), "");
    for (const e of events) lines.push(bullet + eventLine(e, report, md));
    const more = m.moreByCategory[category.id];
    if (more) lines.push(`${bullet}+${more} more`);
  }
  lines.push("", h(4, "Timeline"), "");
  for (const e of report.events) {
    const marker = categoryById(e.category as CategoryId).indicator;
    const first = e.resources[0] === undefined ? "" : shortResource(e.resources[0]);
    const resource = first ? ` ${md ? `\`${first}\`` : first}` : "";
    const failed = e.errorCode ? ` · ❌ ${esc(e.errorCode)}` : "";
    lines.push(
      `${bullet}${clock(e.eventTime).slice(11)} ${marker} ${esc(e.eventName)}${resource} · ${
        esc(e.actor.name)
      }${failed}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** The JSON report: metadata, events in time order, and the events by category. */
function renderChangesJson(report: ChangeReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

/** The report in the chosen format. */
export function renderChanges(report: ChangeReport, format: ChangeFormat): string {
  return format === "json" ? renderChangesJson(report) : renderChangesText(report, format === "markdown");
}
