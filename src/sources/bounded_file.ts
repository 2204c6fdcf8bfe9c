/**
 * Reading a file that may be hostile: never more than a limit. A file larger than the limit is not read (only its
 * first bytes, to tell gzip data from text), and one that grows while it is read (or claims no size, like
 * `/dev/zero`) is read to one byte past the limit, no further.
 */

/** A file's bytes, or the first bytes of a file past the limit. */
export type BoundedBytes = { over: false; bytes: Uint8Array } | { over: true; head: Uint8Array };

/** Bytes kept of a file past the limit (enough for gzip's magic number). */
const HEAD = 2;

/** Reads the file at `path` when it holds at most `max` bytes. Throws what opening or reading it throws. */
export function readFileUpTo(path: string, max: number): BoundedBytes {
  const file = Deno.openSync(path, { read: true });
  try {
    const size = file.statSync().size;
    if (size > max) return { over: true, head: readSome(file, new Uint8Array(HEAD)) };
    // One byte more than the size, to see the end (or growth) without a second buffer for a file that stays put.
    let buffer: Uint8Array = new Uint8Array(Math.min(size, max) + 1);
    let length = 0;
    for (;;) {
      const n = file.readSync(buffer.subarray(length));
      if (n === null) return { over: false, bytes: buffer.subarray(0, length) };
      length += n;
      if (length > max) return { over: true, head: buffer.slice(0, HEAD) };
      if (length === buffer.length) buffer = grown(buffer, max + 1);
    }
  } finally {
    file.close();
  }
}

/**
 * The text of a small file the user names (a key list, a config file): undefined when it holds more than `max` bytes
 * (`/dev/zero` given by mistake is refused, not read into all the memory). Throws what opening or reading it throws.
 */
export function readTextUpTo(path: string, max: number): string | undefined {
  const read = readFileUpTo(path, max);
  return read.over ? undefined : new TextDecoder().decode(read.bytes);
}

/** `buffer`'s bytes in one twice as long, at most `cap` bytes. */
function grown(buffer: Uint8Array, cap: number): Uint8Array {
  const next = new Uint8Array(Math.min(Math.max(buffer.length * 2, 65536), cap));
  next.set(buffer);
  return next;
}

/** Fills `buffer` as far as the file goes. */
function readSome(file: Deno.FsFile, buffer: Uint8Array): Uint8Array {
  let length = 0;
  while (length < buffer.length) {
    const n = file.readSync(buffer.subarray(length));
    if (n === null) break;
    length += n;
  }
  return buffer.subarray(0, length);
}
