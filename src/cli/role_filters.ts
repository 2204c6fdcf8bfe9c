/** The `--filter-assumed-role-arn` values of `select`, read as role ARNs (a usage error says what to pass instead). */
import { roleFilterArn } from "../core/records/principal.ts";
import { UsageError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";

/** The role ARNs to filter by; a session ARN becomes its role, with a note on stderr. */
export async function roleFilters(values: string[], io: Io): Promise<string[]> {
  const arns: string[] = [];
  for (const value of values) {
    const read = roleFilterArn(value);
    if (!read.ok) throw new UsageError(read.issue);
    if (read.note) await io.stderr.write(`note: ${read.note}\n`);
    arns.push(read.arn);
  }
  return [...new Set(arns)];
}
