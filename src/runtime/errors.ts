/**
 * User errors are not bugs: a UsageError exits 2 with a one-line hint, an
 * InputError or SourceError exits 1 with what failed and why. Anything else is a
 * bug: exit 1, stack trace only with --verbose.
 */

/** A bad command line: unknown option, missing value, unparseable value. Exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Bad input data (stdin, a file): exit 1. */
export class InputError extends Error {
  override name = "InputError";
}

/** A source failed (a directory, S3, the CloudTrail API): exit 1. */
export class SourceError extends Error {
  override name = "SourceError";
}

/** The reader of stdout went away (`| head`): a normal end, exit 0. */
export class BrokenPipe extends Error {
  override name = "BrokenPipe";
}

/** The user pressed Ctrl-C: exit 130 after cleaning up. */
export class Interrupted extends Error {
  override name = "Interrupted";
}
