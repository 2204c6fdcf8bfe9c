/**
 * The SDK's credential chain, built from an injected environment instead of the
 * process's: the SDK's own chain reads `process.env` wherever it runs, so a command
 * given an `Io.env` (a test, the MCP server) would otherwise mix two environments.
 * Order as the SDK's default chain: static keys (unless a profile is named), the
 * shared config and credentials files (profiles, SSO, assume-role, credential_process),
 * a web identity token file, the container endpoint, then the EC2 instance metadata.
 * Each provider module is imported only when the chain reaches it.
 */

/** Credentials as the SDK takes them. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A function the SDK calls for credentials whenever it signs a request. */
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

/** Reads one environment variable (the command's `Io.env`). */
export type EnvReader = (name: string) => string | undefined;

/** Where the shared files are: AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, else ~/.aws/ of HOME. */
export function sharedFilePaths(env: EnvReader): { filepath: string; configFilepath: string } {
  const home = env("HOME") ?? env("USERPROFILE") ??
    (env("HOMEDRIVE") && env("HOMEPATH") ? `${env("HOMEDRIVE")}${env("HOMEPATH")}` : undefined);
  const inHome = (name: string) => (home ? `${home}/.aws/${name}` : `~/.aws/${name}`);
  return {
    filepath: env("AWS_SHARED_CREDENTIALS_FILE") ?? inHome("credentials"),
    configFilepath: env("AWS_CONFIG_FILE") ?? inHome("config"),
  };
}

/** The profile to use: --profile, else AWS_PROFILE, else undefined (the `default` profile). */
export function profileName(profile: string | undefined, env: EnvReader): string | undefined {
  return profile || env("AWS_PROFILE") || undefined;
}

type Link = () => Promise<AwsCredentialIdentity | undefined>;

function staticKeys(env: EnvReader): AwsCredentialIdentity | undefined {
  const accessKeyId = env("AWS_ACCESS_KEY_ID");
  const secretAccessKey = env("AWS_SECRET_ACCESS_KEY");
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env("AWS_SESSION_TOKEN");
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

function links(profile: string | undefined, env: EnvReader): Link[] {
  const files = sharedFilePaths(env);
  return [
    () => Promise.resolve(profile ? undefined : staticKeys(env)),
    async () => {
      const { fromIni } = await import("@aws-sdk/credential-provider-ini");
      return await fromIni({ ...files, profile: profile ?? "default" })();
    },
    async () => {
      const webIdentityTokenFile = env("AWS_WEB_IDENTITY_TOKEN_FILE");
      const roleArn = env("AWS_ROLE_ARN");
      if (!webIdentityTokenFile || !roleArn) return undefined;
      const { fromTokenFile } = await import("@aws-sdk/credential-provider-web-identity");
      const roleSessionName = env("AWS_ROLE_SESSION_NAME");
      return await fromTokenFile({ webIdentityTokenFile, roleArn, ...(roleSessionName ? { roleSessionName } : {}) })();
    },
    async () => {
      const full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
      const relative = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
      if (!full && !relative) return undefined;
      const { fromHttp } = await import("@aws-sdk/credential-provider-http");
      const token = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
      const tokenFile = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
      return await fromHttp({
        ...(full ? { awsContainerCredentialsFullUri: full } : {}),
        ...(relative ? { awsContainerCredentialsRelativeUri: relative } : {}),
        ...(token ? { awsContainerAuthorizationToken: token } : {}),
        ...(tokenFile ? { awsContainerAuthorizationTokenFile: tokenFile } : {}),
      })();
    },
    async () => {
      const disabled = env("AWS_EC2_METADATA_DISABLED");
      if (disabled && disabled !== "false") return undefined;
      const { fromInstanceMetadata } = await import("@smithy/credential-provider-imds");
      return await fromInstanceMetadata()();
    },
  ];
}

/** True when a provider said "not me, try the next one" rather than failing outright. */
function tryNext(error: unknown): boolean {
  return (error as { tryNextLink?: boolean })?.tryNextLink !== false;
}

/**
 * A credential provider over `env`: the first link that yields credentials wins;
 * credentials that expire are fetched again five minutes before they do.
 */
export function credentialsFromEnv(profile: string | undefined, env: EnvReader): AwsCredentialIdentityProvider {
  const chain = links(profileName(profile, env), env);
  let cached: Promise<AwsCredentialIdentity> | undefined;
  const resolve = async (): Promise<AwsCredentialIdentity> => {
    const reasons: string[] = [];
    for (const link of chain) {
      try {
        const found = await link();
        if (found) return found;
      } catch (error) {
        if (!tryNext(error)) throw error;
        reasons.push(error instanceof Error ? error.message.split("\n")[0]! : String(error));
      }
    }
    // Named as the SDK names it, so that every caller tells "no credentials" apart (isCredentialsError).
    throw Object.assign(new Error(`Could not load credentials from any providers (${reasons.join("; ")})`), {
      name: "CredentialsProviderError",
      tryNextLink: false,
    });
  };
  return async () => {
    const current = cached ? await cached.catch(() => undefined) : undefined;
    if (current && !(current.expiration && current.expiration.getTime() - Date.now() < 300_000)) return current;
    cached = resolve();
    cached.catch(() => (cached = undefined));
    return await cached;
  };
}
