/** Writing bytes so that a reader (or a crash) never sees half of them. */
import { dirname } from "node:path";
import { removeIfThere } from "./log_dir_state.ts";

/** Writes `bytes` to `<path>.tmp-<id>` (creating its folder) and renames it over `path`. */
export async function writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.writeFile(temp, bytes, { createNew: true });
    await Deno.rename(temp, path);
  } catch (e) {
    await removeIfThere(temp);
    throw e;
  }
}
