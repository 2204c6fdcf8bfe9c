/**
 * Parses the time expressions every `--from`/`--to` option accepts, in UTC,
 * relative to a `now` the caller passes in.
 */
import * as chrono from "chrono-node/en";

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// 2024-03-01T09:40, 2024-03-01 09:40:05.123, with an optional Z or +hh:mm offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const EPOCH_SECONDS = /^\d{9,11}(?:\.\d+)?$/;

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function fromDateTime(m: RegExpExecArray): number | undefined {
  const [, y, mo, d, h, mi, s = "0", frac = "", zone] = m;
  if (!validDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  let t = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(frac.padEnd(3, "0").slice(0, 3)),
  );
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
    if (hours > 23 || minutes > 59) return undefined; // +25:00 or +05:99 is no offset
    t -= sign * (hours * 60 + minutes) * 60_000;
  }
  return t;
}

/** True when chrono read a time relative to now (`two days ago`, `yesterday`), not a date of the calendar. */
function relativeToNow(result: chrono.ParsedResult): boolean {
  return [...result.tags()].some((tag) => tag === "result/relativeDate" || tag.startsWith("casualReference/"));
}

/**
 * The instant of a chrono result; a calendar date without a time of day (`Mar 1 2024`, `3/1/2024`) is its midnight
 * UTC, as `2024-03-01` is (chrono implies noon, and `--from` would miss the morning).
 */
function chronoTime(result: chrono.ParsedResult): number {
  const start = result.start;
  if (start.isCertain("hour") || relativeToNow(result)) return start.date().getTime();
  return Date.UTC(start.get("year") ?? 1970, (start.get("month") ?? 1) - 1, start.get("day") ?? 1);
}

/**
 * Epoch milliseconds for `text`, or undefined when it is not a time. Accepts
 * `2017-01-01` (midnight UTC), ISO timestamps with `Z` or an offset,
 * `2024-03-01 09:40` (UTC), epoch seconds, and human forms resolved against
 * `now`: `now`, `one hour ago`, `two days ago`, `-1days`, `yesterday`,
 * `March 1, 2024 21:00`.
 */
export function parseTimeExpression(text: string, now: number): number | undefined {
  const input = text.trim();
  if (input === "") return undefined;
  const date = DATE_ONLY.exec(input);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    return validDate(y, m, d) ? Date.UTC(y, m - 1, d) : undefined;
  }
  const dateTime = DATE_TIME.exec(input);
  if (dateTime) return fromDateTime(dateTime);
  if (EPOCH_SECONDS.test(input)) return Math.round(Number(input) * 1000);
  const results = chrono.parse(input, { instant: new Date(now), timezone: "UTC" });
  const first = results[0];
  // Only a parse of the whole text counts: "foo 2024" is not a time.
  if (results.length !== 1 || !first || first.text.trim().length !== input.length) return undefined;
  return chronoTime(first);
}
