/** All of a byte stream as text, for small inputs such as a policy, up to a size. */

/** The most a policy may take, in bytes: far above IAM's 10,240 characters and a 12 MB policy of hostile tests. */
export const MAX_POLICY_BYTES = 64 << 20;

/**
 * Decodes all of `stream` as UTF-8 (a BOM is dropped, invalid bytes become U+FFFD); undefined, the stream cancelled,
 * once it holds more than `maxBytes` (`< /dev/zero` would otherwise fill the memory).
 */
export async function readAllText(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<string | undefined> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let text = "";
  let bytes = 0;
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      bytes += r.value.length;
      if (bytes > maxBytes) {
        await reader.cancel();
        return undefined;
      }
      text += decoder.decode(r.value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return text + decoder.decode();
}
