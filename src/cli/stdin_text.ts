/** Text chunks from a byte stream, decoded as UTF-8 without ever joining them. */

/** Decodes `stream` chunk by chunk (a BOM is dropped, invalid bytes become U+FFFD). */
export async function* textChunks(stream: ReadableStream<Uint8Array>): AsyncIterable<string> {
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) yield chunk;
}

/** All of `stream` as one string, for small inputs such as a policy. */
export async function readAllText(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  for await (const chunk of textChunks(stream)) text += chunk;
  return text;
}
