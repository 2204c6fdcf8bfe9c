/** Settings of the AWS profile in use (`region`, `endpoint_url`), read from the shared files the environment names. */
import { type AwsIniKind, iniProfileValue } from "../core/aws/aws_ini.ts";
import { type EnvReader, profileName, sharedFilePaths } from "./aws_credentials.ts";

async function textOf(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return ""; // no file (or none we may read): no setting, as for the SDK
  }
}

/** The profile's region (`region = ...` in the config file, else the credentials file), or undefined. */
export async function profileRegion(profile: string | undefined, env: EnvReader): Promise<string | undefined> {
  const files = sharedFilePaths(env);
  const name = profileName(profile, env) ?? "default";
  const read = async (path: string, kind: AwsIniKind) =>
    iniProfileValue(await textOf(path), { kind, profile: name, key: "region" });
  return await read(files.configFilepath, "config") ?? await read(files.filepath, "credentials");
}

/** The values of `keys` in `profile`'s section of the config file (AWS_CONFIG_FILE, else ~/.aws/config). */
export async function profileConfigValues<K extends string>(
  profile: string,
  env: EnvReader,
  keys: readonly K[],
): Promise<{ file: string; values: Partial<Record<K, string>> }> {
  const file = sharedFilePaths(env).configFilepath;
  const text = await textOf(file);
  const values: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = iniProfileValue(text, { kind: "config", profile, key });
    if (value !== undefined) values[key] = value;
  }
  return { file, values };
}
