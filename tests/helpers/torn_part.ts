/** Tearing an archive's gzip part file as a torn write would: for tests of `--rebuild-state` and what follows it. */
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";

/** The biggest part file below `dir`. */
export async function biggestPart(dir: string): Promise<string> {
  let best = { path: "", size: -1 };
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const path = join(d, e.name);
      if (e.isDirectory) await walk(path);
      else if (e.name.startsWith("part-") && (await Deno.stat(path)).size > best.size) {
        best = { path, size: (await Deno.stat(path)).size };
      }
    }
  };
  await walk(dir);
  return best.path;
}

/** Writes the biggest gzip part file again as one member and cuts it in the middle (a torn write); its lines. */
export async function tearBiggestPart(events: string): Promise<{ path: string; lines: string[] }> {
  const path = await biggestPart(events);
  const text = gunzipSync(await Deno.readFile(path));
  const gz = gzipSync(text);
  await Deno.writeFile(path, gz.subarray(0, Math.floor(gz.length / 2)));
  return { path, lines: new TextDecoder().decode(text).split("\n").slice(0, -1) };
}
