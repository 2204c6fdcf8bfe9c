/** `--from` / `--to` values: a time expression or a usage error. */
import { parseTimeExpression } from "../core/util/time_expression.ts";
import { UsageError } from "./errors.ts";

/** Epoch ms for an option value, or a UsageError naming the option and the value. */
export function timeOption(option: string, value: string, now: number): number {
  const time = parseTimeExpression(value, now);
  if (time === undefined) {
    throw new UsageError(`invalid value for ${option}: "${value}" (try 2024-03-01, 2024-03-01T09:40Z, "one hour ago")`);
  }
  return time;
}

/** `--from` and `--to` as epoch ms, or a UsageError when either is invalid or --from is after --to. */
export function timeRange(options: { from: string; to: string }, now: number): { from: number; to: number } {
  const from = timeOption("--from", options.from, now);
  const to = timeOption("--to", options.to, now);
  if (from > to) {
    throw new UsageError(`--from (${options.from}) is after --to (${options.to}): nothing can be in that range`);
  }
  return { from, to };
}
