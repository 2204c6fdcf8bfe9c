/** Parsers of option values shared by the commands: repeatable options, fixed lists, whole numbers. */
import { InvalidArgumentError, type Option } from "@commander-js/extra-typings";
import { ENDPOINT_URL_SHAPE, isEndpointUrl } from "../sources/endpoint_url.ts";

/** Collects a repeatable option into a list. */
export const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Like `collect`, for an option whose values come from a fixed list. */
export function collectChoice(option: string, choices: readonly string[]) {
  return (value: string, previous: string[] | undefined): string[] => {
    if (!choices.includes(value)) {
      throw new InvalidArgumentError(`${option} takes one of ${choices.join(", ")}; got "${value}"`);
    }
    return collect(value, previous);
  };
}

/** The most `--workers` (and `process_workers` in a sync config: core/sync/sync_config.ts) start: each is an isolate. */
export const MAX_WORKERS = 256;

/**
 * A whole number from `min` to `max` (at most Number.MAX_SAFE_INTEGER: past it, digits stop being exact and 400 of
 * them become Infinity), or a usage error naming the option.
 */
export function positiveInt(option: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new InvalidArgumentError(
        `${option} takes a whole number${min > 0 ? ` of at least ${min}` : ""}, got "${value}"`,
      );
    }
    if (Number(value) > max) {
      throw new InvalidArgumentError(`${option} takes a whole number of at most ${max}, got "${value}"`);
    }
    return Number(value);
  };
}

/** A number of Web Workers: 0 to {@link MAX_WORKERS}, or a usage error naming the option. */
export const workerCount = (option: string) => positiveInt(option, 0, MAX_WORKERS);

/** Lists `choices` in the help and the completions of an option whose own parser checks them (`collectChoice`). */
export function withChoices<T extends Option>(option: T, choices: readonly string[]): T {
  option.argChoices = [...choices];
  return option;
}

/** An endpoint URL (`http://` or `https://` and a host), or a usage error naming the option and the value. */
export function endpointUrl(value: string): string {
  if (!isEndpointUrl(value)) {
    throw new InvalidArgumentError(`--endpoint-url takes ${ENDPOINT_URL_SHAPE}, got "${value}"`);
  }
  return value;
}
