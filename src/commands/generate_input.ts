/**
 * generate's input: CloudTrail records from stdin into one policy generator or one per
 * principal, parsed in bulk where the input allows it (see `readRecords`).
 */
import { InputError } from "../runtime/errors.ts";
import type { Io } from "../runtime/io.ts";
import {
  advance,
  bulkRecords,
  type ChunkGeometry,
  chunkGeometry,
  type ChunkMode,
} from "../core/records/bulk_records.ts";
import type { GeneratorPartial } from "../core/policy/policy_generator.ts";
import { JsonStreamError, type ResumePoint } from "../core/records/record_stream_parser.ts";
import { eachScanned, type RecordFields, SlimRecords } from "../core/records/slim_records.ts";
import type { RecordInput } from "../sources/record_input.ts";
import { type Chunk, StdinSplitter } from "../sources/stdin_chunks.ts";
import { streamRecords } from "../sources/stdin_records.ts";
import type { GenerateParams } from "../steps/generate_step.ts";

/** Where records go: one generator, or one per principal. */
export interface RecordTarget {
  /** A record; with `id`, the number a repeat of it will be given as (see `SlimChunk.side`). */
  add(raw: unknown, id?: number): void;
  /**
   * A record reduced to the same keys and text as the record added with number `id` (since numbering last began):
   * whatever adding that record did, once more. A target without it is given every record whole.
   */
  repeat?(id: number): void;
  merge(partials: readonly [string, GeneratorPartial][]): void;
  /** No number given so far will be repeated: what was kept for them can go. */
  forget?(): void;
}

/** Options of {@link readRecords}. */
export interface ReadOptions {
  /** Parse on this many workers with the generate step (they give `target` partial states to merge). */
  pool?: { workers: number; params: GenerateParams };
  /** Drops the permissions: called before stdin is read, once workers (if any) have started. */
  restrict?: () => Promise<void>;
  /**
   * The top-level keys of a record that `target` reads: when given, a Records document parsed in this thread gives
   * `target` records with only these keys (`core/records/slim_records.ts`: the rest is validated, not built).
   */
  fields?: RecordFields;
}

/**
 * Bytes per chunk: parsed in this thread, a chunk's records should die young (64 KiB is
 * ~40 records; the longer they live, the more of them outlive a scavenge and wait in the
 * old generation for a full collection); a worker's chunk should be worth a message.
 * Measured on 1M records (scripts/bench_generate.ts, one noisy 2-core machine): 256 KiB
 * 9.7 s default and 13.3 s precise; 64 KiB 7.5-8.9 s and 12.1-15.1 s; 32 KiB 7.9 s and
 * 12.9 s; peak memory the same. (Before: 256 KiB 8.7 s and 235 MB, 1 MiB 7.9-9.0 s and 320-330 MB.)
 */
const CHUNK_BYTES = 64 << 10;
const WORKER_CHUNK_BYTES = 1 << 20;
const decoder = new TextDecoder();

/**
 * The reader of Records chunks for `target`: repeats are given as numbers where the target takes them, with a hash
 * key drawn for this process (see `slim_scan.c`: no input can be made to collide with a key it cannot know).
 */
function slimReader(fields: RecordFields, target: RecordTarget): SlimRecords {
  if (!target.repeat) return new SlimRecords(fields);
  return new SlimRecords(fields, { repeatKey: crypto.getRandomValues(new Uint32Array(4)) });
}

/**
 * Parses the chunks in bulk in this thread while they parse as cut; the first that does
 * not goes to `pending` (streamed by the caller), and `after` advances past each one parsed.
 */
async function bulkInThread(
  splitter: StdinSplitter,
  mode: ChunkMode,
  target: RecordTarget,
  { pending, after, fields }: {
    pending: Chunk[];
    after: (chunk: Chunk, geometry: ChunkGeometry) => void;
    fields: RecordFields | undefined;
  },
): Promise<void> {
  const slim = mode === "elements" && fields ? slimReader(fields, target) : undefined;
  const add = (raw: unknown, id?: number) => target.add(raw, id);
  const repeat = (id: number) => target.repeat!(id);
  try {
    for (let chunk = await splitter.next(CHUNK_BYTES); chunk; chunk = await splitter.next(CHUNK_BYTES)) {
      const reduced = slim?.read(chunk.bytes);
      if (reduced) {
        eachScanned(reduced, add, repeat);
        after(chunk, reduced.geometry);
        continue;
      }
      const text = decoder.decode(chunk.bytes);
      const records = bulkRecords(mode, text);
      if (!records) {
        pending.push(chunk);
        break;
      }
      for (const raw of records) target.add(raw);
      after(chunk, chunkGeometry(text));
    }
  } finally {
    // What was kept to count repeats (the hash table, each record's effect) is garbage before the policy is built.
    slim?.close();
    target.forget?.();
  }
}

/**
 * Reads stdin into `target`. A large Records document or JSON Lines input is cut into
 * chunks parsed in bulk (in this thread, or on the step pool with `pool`); whatever does not cut cleanly (the end of
 * the input, another shape, a chunk that does not parse as cut) is streamed through
 * the record parser in this thread, which also gives exact positions for errors.
 */
export async function readRecords(io: Io, target: RecordTarget, options: ReadOptions = {}): Promise<void> {
  const { pool: wanted, restrict = () => Promise.resolve(), fields } = options;
  if (io.stdinIsTerminal) await io.stderr.write("Reading CloudTrail records from stdin (end with Ctrl-D)...\n");
  // Workers load their module before the permissions are dropped (it is a file they read); both before any input.
  const pool = wanted && wanted.workers > 0 ? await import("../pool/step_pool.ts") : undefined;
  const started = pool && wanted ? await pool.startWorkers(wanted.workers) : [];
  await restrict();
  const splitter = new StdinSplitter(io.stdin, io.readStdinSync);
  try {
    const mode = await splitter.start(CHUNK_BYTES);
    let tail: ReadableStream<Uint8Array>;
    let resume: ResumePoint | undefined;
    if (mode === undefined || splitter.ended) {
      for (const worker of started) worker.terminate(); // not worth it: streamed here
      tail = splitter.rest([splitter.prefix]);
    } else {
      let at = advance({ line: 1, column: 1 }, chunkGeometry(decoder.decode(splitter.prefix)));
      const after = (chunk: Chunk, geometry: ChunkGeometry) =>
        at = advance(advance(at, geometry), chunkGeometry(decoder.decode(chunk.gap)));
      // Chunks not parsed yet; from the first that did not parse as cut (if any), streamed below.
      const pending: Chunk[] = [];
      if (started.length === 0) await bulkInThread(splitter, mode, target, { pending, after, fields });
      else {
        const name = mode === "lines" ? "stdin.jsonl" : "stdin.json";
        const inputs = async function* (): AsyncGenerator<RecordInput> {
          const size = WORKER_CHUNK_BYTES;
          for (let chunk = await splitter.next(size); chunk; chunk = await splitter.next(size)) {
            pending.push(chunk);
            yield { kind: "bytes", name, bytes: chunk.bytes.slice() };
          }
        };
        const options = { step: "generate" as const, params: wanted!.params, workers: started.length, started };
        for await (const { result, retried } of pool!.runStep(inputs(), options)) {
          if (retried) await io.stderr.write(`warning: a part of stdin was read again in this thread: ${retried}\n`);
          if (!result.ok) throw new InputError(`cannot read records from stdin: ${result.issue}`);
          if ("failed" in result.out) break;
          target.merge(result.out.partials);
          after(pending.shift()!, result.out.geometry);
        }
      }
      tail = splitter.rest(pending.flatMap((c) => [c.bytes, c.gap]));
      resume = { inside: mode === "elements" ? "elements" : "top", ...at };
    }
    for await (const batch of streamRecords(tail, { resume })) for (const raw of batch) target.add(raw);
  } catch (e) {
    if (e instanceof JsonStreamError) {
      throw new InputError(`cannot read records from stdin: ${e.message}`, { cause: e });
    }
    throw e;
  } finally {
    for (const worker of started) worker.terminate(); // again, if the pool never got them
  }
}
