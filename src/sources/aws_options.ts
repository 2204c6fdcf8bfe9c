/** AWS options every AWS-calling command shares, and the SDK client settings they become. */

/** What the user chose on the command line (the environment fills the gaps through the SDK). */
export interface AwsOptions {
  profile?: string | undefined;
  endpointUrl?: string | undefined;
}

/** Settings for an SDK v3 client, before the credential chain runs. */
export interface AwsClientSettings {
  region: string;
  profile?: string;
  endpoint?: string;
  forcePathStyle: boolean;
  followRegionRedirects: boolean;
  maxAttempts: 1;
}

/**
 * Client settings: the region from AWS_REGION / AWS_DEFAULT_REGION, else us-east-1
 * (S3 answers a request for a bucket in another region with a redirect naming it,
 * which the client follows); the endpoint from --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>
 * or AWS_ENDPOINT_URL, with path-style addressing when overridden so IP endpoints work.
 * The SDK makes one attempt per call: `withRetries` (retry.ts) is the one retry layer,
 * so attempts never multiply and every backoff ends at once on Ctrl-C.
 */
export function awsClientSettings(
  options: AwsOptions,
  env: (name: string) => string | undefined,
  service: "S3" | "CLOUDTRAIL",
): AwsClientSettings {
  const endpoint = options.endpointUrl ?? env(`AWS_ENDPOINT_URL_${service}`) ?? env("AWS_ENDPOINT_URL");
  const profile = options.profile ?? env("AWS_PROFILE");
  return {
    region: env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? "us-east-1",
    ...(profile ? { profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: endpoint !== undefined,
    followRegionRedirects: true,
    maxAttempts: 1,
  };
}
