import assert from "node:assert/strict";
import {
  awsClientSettings,
  configuredRegion,
  REGION_FALLBACK_NOTE,
  regionOrFallback,
} from "../../src/sources/aws_options.ts";
import { credentialsFromEnv } from "../../src/sources/aws_credentials.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

/** A temp HOME-less AWS setup: a config and a credentials file named by the injected env. */
async function awsFiles(config: string, credentials = ""): Promise<Record<string, string>> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/config`, config);
  await Deno.writeTextFile(`${dir}/credentials`, credentials);
  return { AWS_CONFIG_FILE: `${dir}/config`, AWS_SHARED_CREDENTIALS_FILE: `${dir}/credentials`, HOME: dir };
}

Deno.test("configuredRegion(): AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region, all from the given env", async () => {
  const files = await awsFiles("[default]\nregion = eu-central-1\n[profile ops]\nregion = ap-south-1\n");
  assert.equal(await configuredRegion({}, envOf({ ...files, AWS_REGION: "eu-west-1" })), "eu-west-1");
  assert.equal(await configuredRegion({}, envOf({ ...files, AWS_DEFAULT_REGION: "eu-west-2" })), "eu-west-2");
  assert.equal(await configuredRegion({}, envOf(files)), "eu-central-1");
  assert.equal(await configuredRegion({ profile: "ops" }, envOf(files)), "ap-south-1");
  assert.equal(await configuredRegion({}, envOf({ ...files, AWS_PROFILE: "ops" })), "ap-south-1");
  assert.equal(await configuredRegion({ profile: "none" }, envOf(files)), undefined);
  assert.equal(await configuredRegion({}, envOf({ AWS_CONFIG_FILE: "/nonexistent/config" })), undefined);
});

Deno.test("regionOrFallback(): no region anywhere falls back to us-east-1 and says so once on stderr", async () => {
  const notes: string[] = [];
  const note = (text: string) => Promise.resolve(void notes.push(text));
  const none = envOf({ AWS_CONFIG_FILE: "/nonexistent/config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/c" });
  assert.equal(await regionOrFallback({}, none, note), "us-east-1");
  assert.deepEqual(notes, [REGION_FALLBACK_NOTE + "\n"]);
  assert.match(REGION_FALLBACK_NOTE, /\(AWS_REGION, AWS_DEFAULT_REGION or the profile's region\): using us-east-1$/);
  assert.equal(await regionOrFallback({}, envOf({ AWS_REGION: "eu-west-1" }), note), "eu-west-1");
  assert.equal(notes.length, 1);
});

Deno.test("awsClientSettings(): the endpoint from --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL of the env", async () => {
  const env = envOf({ AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_ENDPOINT_URL_S3: "http://127.0.0.1:2" });
  assert.equal((await awsClientSettings({}, env, "S3", "eu-west-1")).endpoint, "http://127.0.0.1:2");
  assert.equal((await awsClientSettings({}, env, "CLOUDTRAIL", "eu-west-1")).endpoint, "http://127.0.0.1:1");
  assert.equal(
    (await awsClientSettings({ endpointUrl: "http://127.0.0.1:3" }, env, "S3", "x")).endpoint,
    "http://127.0.0.1:3",
  );
  const plain = await awsClientSettings({}, envOf({}), "S3", "eu-west-1");
  assert.equal(plain.endpoint, undefined);
  assert.equal(plain.forcePathStyle, false);
});

Deno.test("credentialsFromEnv(): static keys of the given env, never of the process", async () => {
  const keys = { AWS_ACCESS_KEY_ID: "AKIAINJECTED", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" };
  assert.deepEqual(await credentialsFromEnv(undefined, envOf(keys))(), {
    accessKeyId: "AKIAINJECTED",
    secretAccessKey: "s",
    sessionToken: "t",
  });
});

Deno.test("credentialsFromEnv(): a named profile wins over static keys; its keys come from the env's credentials file", async () => {
  const files = await awsFiles("", "[ops]\naws_access_key_id = AKIAFROMFILE\naws_secret_access_key = f\n");
  const env = envOf({ ...files, AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "e" });
  assert.equal((await credentialsFromEnv("ops", env)()).accessKeyId, "AKIAFROMFILE");
  assert.equal(
    (await credentialsFromEnv(undefined, envOf({ ...files, AWS_PROFILE: "ops" }))()).accessKeyId,
    "AKIAFROMFILE",
  );
});

Deno.test("credentialsFromEnv(): nothing in the env is a CredentialsProviderError, without asking any metadata service", async () => {
  const env = envOf({
    AWS_CONFIG_FILE: "/nonexistent/config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
    AWS_EC2_METADATA_DISABLED: "true",
  });
  await assert.rejects(credentialsFromEnv(undefined, env)(), (e: Error) => {
    assert.equal(e.name, "CredentialsProviderError");
    assert.match(e.message, /Could not load credentials from any providers/);
    return true;
  });
});
