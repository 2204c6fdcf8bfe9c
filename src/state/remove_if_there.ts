/** Removing a file of the local state that may already be gone (state/ may not import sources/, which has its own). */

/** Removes `path`; a file that is not there is no error. */
export async function removeIfThere(path: string): Promise<void> {
  await Deno.remove(path).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
}
