/**
 * Least privilege inside the binary: the Deno permissions each command keeps. The
 * binary is granted the union (scripts/build_plan.ts); every command revokes the rest
 * at its start, before it reads any input. Deno revokes whole kinds (a path cannot be
 * carved out of a global grant), so a command keeps a kind or drops it.
 */

/** A Deno permission kind. */
export type PermissionKind = "read" | "write" | "net" | "env" | "sys" | "run" | "ffi";

/** Every kind, in the order they are reported. */
export const PERMISSION_KINDS: readonly PermissionKind[] = ["read", "write", "net", "env", "sys", "run", "ffi"];

/** What the AWS SDK needs: its config files (read), settings (env), the endpoint (net), the OS release (sys). */
const AWS: PermissionKind[] = ["read", "env", "net", "sys"];

/** Local logs: read them; env only to expand `~` in `--log-dir` (HOME, USERPROFILE). */
const LOCAL: PermissionKind[] = ["read", "env"];

/** The kinds each command keeps (`run` is added only when a profile uses `credential_process`). */
export const COMMAND_PERMISSIONS: Record<string, readonly PermissionKind[]> = {
  generate: [],
  "generate --out-dir": ["read", "write"],
  check: ["read"],
  guess: [],
  completions: [],
  "last-event-timestamp": LOCAL,
  select: LOCAL,
  "select --use-cloudtrail-api": AWS,
  changes: AWS,
  "changes --log-dir": LOCAL,
  download: [...AWS, "write"],
  sync: [...AWS, "write"],
  "sync init": [...AWS, "write"],
  validate: AWS,
  "validate --log-dir": AWS,
  "validate --log-dir --public-keys": LOCAL,
  mcp: AWS,
  "mcp --log-dir": LOCAL,
};

/** The kinds to keep for a command, with `run` when it calls AWS and a profile runs `credential_process`. */
export function keptPermissions(command: string, credentialProcess: boolean): PermissionKind[] {
  const kinds = [...(COMMAND_PERMISSIONS[command] ?? PERMISSION_KINDS)];
  if (credentialProcess && kinds.includes("net")) kinds.push("run");
  return kinds;
}
