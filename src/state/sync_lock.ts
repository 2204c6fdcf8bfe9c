/**
 * One writer per state DB and per archive: an exclusive advisory lock (flock) on
 * `<state db>.lock`, and one on `.sync.lock` inside the events dir, each held for the
 * whole run and released by the kernel when the process dies, SIGKILL included. The
 * file holds the holder's pid, so a second run can say who has it.
 */
import { join } from "node:path";

/** Another process holds the lock. */
export class SyncLockBusy extends Error {
  override name = "SyncLockBusy";
  /** `guarded`: the state DB or events dir the lock keeps to one run. */
  constructor(readonly guarded: string, readonly pid: number | undefined) {
    super(`another sync (pid ${pid ?? "unknown"}) is using "${guarded}"`);
  }
}

/** The lock file of a state DB. */
export function lockPathOf(stateDb: string): string {
  return `${stateDb}.lock`;
}

/**
 * The lock file of an events dir: inside it, so every path that names the folder (a symlink, `events/`) finds
 * the same file; a dot file, which query engines pass over.
 */
export function eventsLockPathOf(eventsDir: string): string {
  return join(eventsDir, ".sync.lock");
}

/** A held lock; {@link release} removes the file (while still holding it) and lets go. */
export class SyncLock {
  private constructor(readonly path: string, private readonly file: Deno.FsFile) {}

  /** Takes the lock of `stateDb` at once or throws {@link SyncLockBusy}. */
  static async acquire(stateDb: string): Promise<SyncLock> {
    return await SyncLock.#acquire(lockPathOf(stateDb), stateDb);
  }

  /** Takes the lock of the archive in `eventsDir` (made if missing) at once or throws {@link SyncLockBusy}. */
  static async acquireEventsDir(eventsDir: string): Promise<SyncLock> {
    for (let attempt = 1;; attempt++) {
      await Deno.mkdir(eventsDir, { recursive: true });
      try {
        return await SyncLock.#acquire(eventsLockPathOf(eventsDir), eventsDir);
      } catch (e) {
        // A run that made the folder removes it, empty, as it ends: make it again.
        if (!(e instanceof Deno.errors.NotFound) || attempt === 3) throw e;
      }
    }
  }

  /**
   * Takes the lock in file `path` at once or throws {@link SyncLockBusy} naming `guarded`. A lock taken
   * on a file that another run removed meanwhile is dropped and taken again on the
   * file the path now names, so two runs can never hold locks on different files.
   */
  static async #acquire(path: string, guarded: string): Promise<SyncLock> {
    for (;;) {
      // A symlink in the lock's place is never followed: opening it would create or overwrite its target.
      await refuseSymlink(path);
      const file = await Deno.open(path, { read: true, write: true, create: true });
      let held = false;
      try {
        if (!(await file.tryLock(true))) throw new SyncLockBusy(guarded, await holderPid(file));
        if (await sameFile(file, path)) {
          await file.truncate(0);
          await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
          held = true;
          return new SyncLock(path, file);
        }
      } finally {
        if (!held) file.close();
      }
    }
  }

  /** Removes the lock file and releases the lock (a run waiting on the old file takes a new one). */
  async release(): Promise<void> {
    try {
      await Deno.remove(this.path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    } finally {
      this.file.close();
    }
  }
}

/** Throws when `path` is a symbolic link (a missing path is fine: the lock creates it). */
async function refuseSymlink(path: string): Promise<void> {
  const info = await Deno.lstat(path).catch((e) => {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  });
  if (info?.isSymlink) {
    throw new Error(`the lock file "${path}" is a symbolic link: refusing to follow it (remove it if no sync runs)`);
  }
}

/**
 * True when `path` itself (not a link in its place) still names the open file: it was not removed or replaced since
 * it was opened. A symlink put there meanwhile is refused.
 */
async function sameFile(file: Deno.FsFile, path: string): Promise<boolean> {
  const [open, named] = await Promise.all([file.stat(), Deno.lstat(path).catch(() => undefined)]);
  if (named?.isSymlink) await refuseSymlink(path);
  return named !== undefined && open.ino === named.ino && open.dev === named.dev;
}

/** The pid the holder wrote (it writes it right after locking: a few tries cover that moment). */
async function holderPid(file: Deno.FsFile): Promise<number | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await file.seek(0, Deno.SeekMode.Start);
    const buffer = new Uint8Array(32);
    const n = await file.read(buffer);
    const text = new TextDecoder().decode(buffer.subarray(0, n ?? 0));
    if (/^\d+\n$/.test(text)) return Number(text.trim());
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}
