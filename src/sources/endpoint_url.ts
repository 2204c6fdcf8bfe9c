/** What makes an endpoint URL usable: the check shared by `--endpoint-url` and the `AWS_ENDPOINT_URL*` variables (no imports: the CLI loads it at startup). */

/** What an endpoint takes, for the error that names the option or variable. */
export const ENDPOINT_URL_SHAPE = "an http:// or https:// URL with a host";

/** True when `value` is an `http://` or `https://` URL with a host (what the AWS SDK can use as an endpoint). */
export function isEndpointUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return ["http:", "https:"].includes(url.protocol) && url.hostname !== "";
}

/** A malformed `AWS_ENDPOINT_URL*` variable: a usage error (exit 2), like a malformed `--endpoint-url`. */
export class EndpointVariableError extends Error {
  override name = "EndpointVariableError";
}

/** The value of endpoint variable `name`, or an {@link EndpointVariableError} naming it when it is not an endpoint. */
export function endpointVariable(name: string, value: string): string {
  if (!isEndpointUrl(value)) throw new EndpointVariableError(`${name} takes ${ENDPOINT_URL_SHAPE}, got "${value}"`);
  return value;
}
