/** Writing a file so that a reader (or a crash) never sees half of it. */
import { removeIfThere } from "./log_dir_state.ts";

/** Writes `text` to `<path>.tmp-<id>`, fsyncs it and renames it over `path`. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      const bytes = new TextEncoder().encode(text);
      for (let written = 0; written < bytes.length;) written += await file.write(bytes.subarray(written));
      await file.syncData();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (e) {
    await removeIfThere(temp);
    throw e;
  }
}
