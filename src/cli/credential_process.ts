/** Whether the AWS config runs a `credential_process` helper: the one case in which a command keeps `--allow-run`. */
import type { Io } from "../runtime/io.ts";

/** True when the shared config or credentials file mentions `credential_process` (a file that cannot be read: false). */
export async function usesCredentialProcess(io: Io): Promise<boolean> {
  const home = io.env("HOME") ?? io.env("USERPROFILE");
  const files = [
    io.env("AWS_CONFIG_FILE") ?? (home ? `${home}/.aws/config` : undefined),
    io.env("AWS_SHARED_CREDENTIALS_FILE") ?? (home ? `${home}/.aws/credentials` : undefined),
  ];
  for (const file of files) {
    if (file === undefined) continue;
    try {
      if (/^\s*credential_process\s*=/m.test(await Deno.readTextFile(file))) return true;
    } catch {
      // Not there or not readable: the SDK will not run a helper from it either.
    }
  }
  return false;
}
