/**
 * The AWS environment of in-process test runs, given to commands as their `Io.env`
 * (the process's own environment is never changed): test keys, a region, no shared
 * files and no instance metadata service, so no test depends on the machine's AWS setup.
 */
export const TEST_AWS_ENV: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: "AKIATESTTESTTEST",
  AWS_SECRET_ACCESS_KEY: "test-secret",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONFIG_FILE: "/nonexistent/aws/config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws/credentials",
};

/** {@link TEST_AWS_ENV} without static keys: a run that finds no credentials at all. */
export const NO_CREDENTIALS_ENV: Readonly<Record<string, string | undefined>> = {
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
};
