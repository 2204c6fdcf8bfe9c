/** The `region` of the AWS profile in use, read from the shared config files the environment names. */
import { type EnvReader, profileName, sharedFilePaths } from "./aws_credentials.ts";

/**
 * The profile's region (`region = ...` in its section of the config file, or of the
 * credentials file), or undefined when there is none or no file. Loads the SDK's
 * INI reader only now.
 */
export async function profileRegion(profile: string | undefined, env: EnvReader): Promise<string | undefined> {
  const { loadSharedConfigFiles } = await import("@smithy/core/config");
  const files = await loadSharedConfigFiles({ ...sharedFilePaths(env), ignoreCache: true });
  const name = profileName(profile, env) ?? "default";
  return files.configFile[name]?.region || files.credentialsFile[name]?.region || undefined;
}
