/** Tells an I/O failure (a file, a socket, a permission) from a bug. */

const IO_ERRORS = Object.values(Deno.errors) as (new (...args: never[]) => Error)[];

/** True for the errors Deno raises for I/O (`Deno.errors.*`: NotFound, PermissionDenied, ...). */
export function isIoError(error: unknown): boolean {
  return IO_ERRORS.some((kind) => error instanceof kind);
}
