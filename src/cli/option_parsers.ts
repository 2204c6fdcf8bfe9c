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

/** A whole number of at least `min`, or a usage error naming the option. */
export function positiveInt(option: string, min = 0) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new InvalidArgumentError(
        `${option} takes a whole number${min > 0 ? ` of at least ${min}` : ""}, got "${value}"`,
      );
    }
    return Number(value);
  };
}

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
