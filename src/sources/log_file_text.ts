/** Reads one gzipped CloudTrail log file into text, naming what is wrong with a corrupt one. */
import { gunzipSync } from "node:zlib";

/** The decompressed text, or why it cannot be had. */
export type LogFileText = { ok: true; text: string; bytes: number } | { ok: false; issue: string };

const decoder = new TextDecoder();

/** Reads and gunzips `path`. Never throws for a bad file: the issue comes back as a value. */
export function readLogFileText(path: string): LogFileText {
  let compressed: Uint8Array;
  try {
    compressed = Deno.readFileSync(path);
  } catch (e) {
    return { ok: false, issue: `cannot read: ${e instanceof Error ? e.message : e}` };
  }
  if (compressed.length === 0) return { ok: false, issue: "empty file" };
  if (compressed[0] !== 0x1f || compressed[1] !== 0x8b) return { ok: false, issue: "not gzip data" };
  try {
    const raw = gunzipSync(compressed);
    return { ok: true, text: decoder.decode(raw), bytes: compressed.length };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      issue: /unexpected end/i.test(message) ? "truncated gzip data" : `corrupt gzip data (${message})`,
    };
  }
}
