/** The `region` of the AWS profile in use, read from the shared files the environment names. */
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
