/** Maps a CloudTrail `eventSource` to the IAM service prefix of its actions. */
import curated from "../../../data/event_sources.json" with { type: "json" };
import signingNames from "../../../data/aws_signing_names.json" with { type: "json" };
import { isString, loadTable } from "../util/data_table.ts";
import { isIamPrefix } from "./iam_catalog.ts";
import { InputKeyedCache } from "../util/input_keyed_cache.ts";

// Looked up by a record's event source: without a prototype, `constructor` or `__proto__` finds nothing.
const eventSources = loadTable(curated.eventSources, "event_sources.json eventSources", isString);
const signingToPrefix = loadTable(curated.signingNames, "event_sources.json signingNames", isString);
const signing = loadTable(signingNames, "aws_signing_names.json", isString);

/** Result of {@link iamPrefixFor}: `known` is false when the prefix is a guess. */
export interface IamPrefix {
  prefix: string;
  known: boolean;
}

// Keyed by input (any event source a record names): see InputKeyedCache.
const cache = new InputKeyedCache<IamPrefix>(4096);

/** How many event sources the cache holds and their characters (for tests and diagnostics). */
export function cachedPrefixes(): { entries: number; chars: number } {
  return cache.held;
}

/**
 * The IAM prefix for an event source: a curated special case, else the endpoint's
 * first label when it is an IAM prefix, else the endpoint's signing name (or its
 * curated IAM prefix), else the last label when it is one (`data.iot` -> `iot`),
 * else the first label as trailscraper would use it.
 */
export function iamPrefixFor(eventSource: string): IamPrefix {
  return cache.get(eventSource, resolve);
}

function resolve(eventSource: string): IamPrefix {
  const special = eventSources[eventSource];
  if (special) return { prefix: special, known: isIamPrefix(special) };
  const host = eventSource.endsWith(".amazonaws.com") ? eventSource.slice(0, -".amazonaws.com".length) : eventSource;
  const first = host.split(".")[0] ?? host;
  if (isIamPrefix(first)) return { prefix: first, known: true };
  for (const name of [signing[host], host]) {
    if (name === undefined) continue;
    if (isIamPrefix(name)) return { prefix: name, known: true };
    const mapped = signingToPrefix[name];
    if (mapped) return { prefix: mapped, known: isIamPrefix(mapped) };
  }
  const last = host.split(".").at(-1) ?? host;
  if (isIamPrefix(last)) return { prefix: last, known: true };
  return { prefix: first, known: false };
}
