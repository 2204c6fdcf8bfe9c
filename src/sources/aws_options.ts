/**
 * AWS options every AWS-calling command shares, and the SDK client settings they
 * become: credentials, region and endpoint all come from the command's injected
 * environment (`Io.env`), never from the process's behind its back.
 */
import { type AwsCredentialIdentityProvider, credentialsFromEnv, type EnvReader } from "./aws_credentials.ts";
import { profileConfigValues, profileRegion } from "./aws_profile_region.ts";
import { ENDPOINT_URL_SHAPE, endpointVariable, EndpointVariableError, isEndpointUrl } from "./endpoint_url.ts";

/** What the user chose on the command line (the environment fills the gaps). */
export interface AwsOptions {
  profile?: string | undefined;
  endpointUrl?: string | undefined;
}

/** Settings for an SDK v3 client. */
export interface AwsClientSettings {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  forcePathStyle: boolean;
  followRegionRedirects: boolean;
  maxAttempts: 1;
  /** Options of the SDK's HTTP handler: a connection not made in this time fails (an endpoint that drops packets). */
  requestHandler: { connectionTimeout: number };
}

/** How long a connection may take to open before the endpoint counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

/** The region of every command when none is configured. */
export const FALLBACK_REGION = "us-east-1";

/** What every command says on stderr when it falls back to {@link FALLBACK_REGION}. */
export const REGION_FALLBACK_NOTE = "note: no AWS region configured (AWS_REGION, AWS_DEFAULT_REGION or the " +
  `profile's region): using ${FALLBACK_REGION}`;

/** The configured region: AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region`; undefined when none. */
export async function configuredRegion(options: AwsOptions, env: EnvReader): Promise<string | undefined> {
  return env("AWS_REGION") || env("AWS_DEFAULT_REGION") || await profileRegion(options.profile, env);
}

/**
 * The region rule of every command: the configured region, else {@link FALLBACK_REGION},
 * said on stderr through `note`, followed by `hint` (S3 answers a request for a bucket in another region
 * with a redirect naming it, which the client follows).
 */
export async function regionOrFallback(
  options: AwsOptions,
  env: EnvReader,
  note: (text: string) => Promise<void>,
  hint = "",
): Promise<string> {
  const region = await configuredRegion(options, env);
  if (region) return region;
  await note(REGION_FALLBACK_NOTE + hint + "\n");
  return FALLBACK_REGION;
}

/**
 * The endpoint: --endpoint-url (checked by its parser), else AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL;
 * undefined for AWS's own. The variable used must be an endpoint URL (else an EndpointVariableError naming it).
 */
function endpointOf(options: AwsOptions, env: EnvReader, service: "S3" | "CLOUDTRAIL"): string | undefined {
  if (options.endpointUrl) return options.endpointUrl;
  for (const name of [`AWS_ENDPOINT_URL_${service}`, "AWS_ENDPOINT_URL"]) {
    const value = env(name);
    if (value) return endpointVariable(name, value);
  }
  return undefined;
}

/**
 * Checks the endpoint `service` will use: --endpoint-url (checked by its parser), else an `AWS_ENDPOINT_URL*` variable,
 * else the `endpoint_url` the SDK reads from the config file, in the section of AWS_PROFILE (else `default`: the SDK
 * reads that profile's, whatever --profile says) unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (else the profile's
 * `ignore_configured_endpoint_urls`) is true, or a `services` section may name another (not checked here). Throws an
 * EndpointVariableError (exit 2) naming the variable, or the profile and the file, when it is not an endpoint URL.
 */
export async function checkEndpoint(options: AwsOptions, env: EnvReader, service: "S3" | "CLOUDTRAIL"): Promise<void> {
  if (endpointOf(options, env, service) !== undefined) return;
  const profile = env("AWS_PROFILE") || "default";
  const { file, values } = await profileConfigValues(
    profile,
    env,
    [
      "endpoint_url",
      "ignore_configured_endpoint_urls",
      "services",
    ] as const,
  );
  // As the SDK: the variable, else the profile's key; exactly "true" ignores the file's endpoints.
  const ignore = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") ?? values.ignore_configured_endpoint_urls;
  const value = values.endpoint_url;
  if (value === undefined || ignore === "true" || values.services !== undefined) return;
  if (!isEndpointUrl(value)) {
    throw new EndpointVariableError(
      `endpoint_url of profile "${profile}" in "${file}" takes ${ENDPOINT_URL_SHAPE}, got "${value}"`,
    );
  }
}

/**
 * Client settings for `region`: credentials from the environment's chain (see
 * aws_credentials.ts), the endpoint of {@link endpointOf} with path-style addressing
 * when overridden so IP endpoints work, after {@link checkEndpoint}. The SDK makes one attempt per call:
 * `withRetries` (retry.ts) is the one retry layer, so attempts never multiply and
 * every backoff ends at once on Ctrl-C.
 */
export async function awsClientSettings(
  options: AwsOptions,
  env: EnvReader,
  service: "S3" | "CLOUDTRAIL",
  region: string,
): Promise<AwsClientSettings> {
  await checkEndpoint(options, env, service);
  const endpoint = endpointOf(options, env, service);
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    credentials: credentialsFromEnv(options.profile, env),
    forcePathStyle: endpoint !== undefined,
    followRegionRedirects: true,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS },
  };
}

/** S3 client settings in the region of {@link regionOrFallback} (S3 follows a bucket's region by redirect). */
export async function s3ClientSettings(
  options: AwsOptions,
  env: EnvReader,
  note: (text: string) => Promise<void>,
): Promise<AwsClientSettings> {
  await checkEndpoint(options, env, "S3"); // before the region's note: a usage error comes first
  return await awsClientSettings(options, env, "S3", await regionOrFallback(options, env, note));
}
