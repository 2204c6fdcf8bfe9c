/** The log file limit of this process, from {@link MAX_INFLATED_VARIABLE} (see core/util/inflate_limit.ts). */
import { DEFAULT_MAX_INFLATED_MIB, type InflateLimit, inflateLimit } from "../core/util/inflate_limit.ts";
import { MAX_INFLATED_VARIABLE, maxInflatedMib } from "./max_inflated_variable.ts";

/**
 * The limit for log files, read when called (workers share the process's environment). A process that may not read
 * the variable (run without --allow-env) has the default.
 */
export function logFileLimit(): InflateLimit {
  let mib = DEFAULT_MAX_INFLATED_MIB;
  try {
    const value = Deno.permissions.querySync({ name: "env", variable: MAX_INFLATED_VARIABLE }).state === "granted"
      ? Deno.env.get(MAX_INFLATED_VARIABLE)
      : undefined;
    mib = (value === undefined ? undefined : maxInflatedMib(value)) ?? mib;
  } catch {
    // No permission API (an odd host): the default.
  }
  return inflateLimit(mib);
}
