/** All of a byte stream as text, for small inputs such as a policy. */

/** Decodes all of `stream` as UTF-8 (a BOM is dropped, invalid bytes become U+FFFD). */
export async function readAllText(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) text += chunk;
  return text;
}
