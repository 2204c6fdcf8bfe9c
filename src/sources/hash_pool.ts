/**
 * Gunzip + SHA-256 of log files on a few Web Workers, so the main thread keeps
 * serving the S3 reads while the hashing (the CPU of `validate`) runs beside it.
 * Without workers (none asked for, or the module cannot be read) it hashes in this thread.
 */
import { hashGzip, type HashJob, type HashReply } from "./hash_worker.ts";

// Under `deno run` the worker is this folder's .ts file; in a bundle it is the .js entry beside the chunk.
const WORKER_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./hash_worker.ts" : "./hash_worker.js",
  import.meta.url,
);

/**
 * Hash workers for this machine: one per core (2 to 4). Gunzip + SHA-256 is about twice the CPU of the S3 reads,
 * which leave the main thread mostly waiting; measured on the bench tree (2 cores, shared): 1 worker 1.6-1.7x the
 * time of `download`, 2 workers 1.55-1.65x, 3 workers 1.45x (scripts/bench_validate.ts).
 */
export function defaultHashWorkers(): number {
  return Math.min(4, Math.max(2, navigator.hardwareConcurrency ?? 2));
}

/** A hash, or why the bytes are not gzip data. */
export type GzipHash = { ok: true; sha256: string } | { ok: false; issue: string };

/** Workers that hash; `hash()` sends each job to the least busy one. */
export class HashPool {
  readonly #workers: { worker: Worker; busy: number }[] = [];
  readonly #waiting = new Map<number, { resolve: (reply: HashReply) => void; reject: (error: Error) => void }>();
  #next = 0;

  private constructor() {}

  /** Starts `count` workers and waits until each has loaded; none when the worker module cannot be read. */
  static async start(count: number): Promise<HashPool> {
    const pool = new HashPool();
    if (count <= 0 || !(await canLoad())) return pool;
    for (let i = 0; i < count; i++) {
      const worker = new Worker(WORKER_URL, { type: "module" });
      const started = await new Promise<boolean>((resolve) => {
        worker.onmessage = () => resolve(true);
        worker.onerror = (event) => {
          event.preventDefault();
          resolve(false);
        };
        worker.postMessage({ ping: true });
      });
      if (!started) { // hash in this thread (and the workers started so far) rather than fail the run
        worker.terminate();
        break;
      }
      pool.#adopt(worker);
    }
    return pool;
  }

  #adopt(worker: Worker): void {
    const slot = { worker, busy: 0 };
    worker.onmessage = (event: MessageEvent<HashReply>) => {
      slot.busy--;
      const done = this.#waiting.get(event.data.id);
      this.#waiting.delete(event.data.id);
      done?.resolve(event.data);
    };
    // A worker that dies fails what it held (the files count as unreadable); the rest is hashed in this thread.
    worker.onerror = (event) => {
      event.preventDefault();
      for (const { reject } of this.#waiting.values()) reject(new Error(`hash worker failed: ${event.message}`));
      this.#waiting.clear();
      this.close();
    };
    this.#workers.push(slot);
  }

  /** Workers running (0: hashing in this thread). */
  get size(): number {
    return this.#workers.length;
  }

  /** The hash of the uncompressed bytes of `gzip` (its buffer may be transferred: do not use it afterwards). */
  hash(gzip: Uint8Array): Promise<GzipHash> {
    if (this.#workers.length === 0) return Promise.resolve(hashGzip(gzip));
    const slot = this.#workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const whole = gzip.byteOffset === 0 && gzip.byteLength === gzip.buffer.byteLength &&
      gzip.buffer instanceof ArrayBuffer;
    const buffer = whole ? gzip.buffer as ArrayBuffer : gzip.slice().buffer;
    const id = this.#next++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve: ({ id: _, ...result }) => resolve(result), reject });
      slot.worker.postMessage({ id, bytes: buffer } satisfies HashJob, [buffer]);
    });
  }

  /** Stops the workers. */
  close(): void {
    for (const { worker } of this.#workers) worker.terminate();
    this.#workers.length = 0;
  }
}

async function canLoad(): Promise<boolean> {
  if (WORKER_URL.protocol !== "file:") return true;
  return (await Deno.permissions.query({ name: "read", path: WORKER_URL })).state === "granted";
}
