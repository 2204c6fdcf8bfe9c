/**
 * Hostile part files in the sync archive: a gzip bomb, a plain or gzip part larger than the log file limit, a torn
 * part whose cut member is a bomb, and a tail full of fake gzip headers cost at most the limit (and a bounded time):
 * a rebuild or a recovery is refused with the part named, and nothing is changed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { inflateLimit } from "../../src/core/util/inflate_limit.ts";
import { Archive } from "../../src/state/archive.ts";
import { ArchivePartTooLarge, readPartBytes } from "../../src/state/archive_scan.ts";
import { rebuildState } from "../../src/state/state_rebuild.ts";
import { SyncState } from "../../src/state/sync_state.ts";

const encoder = new TextEncoder();
const LIMIT = inflateLimit(1);
const PARTITION = "account=111122223333/region=eu-west-1/date=2024-03-01";

/** A gzip member of `size` bytes of newlines: 64 MiB of empty lines in 64 kB. */
function bomb(size: number): Uint8Array {
  return gzipSync(new Uint8Array(size).fill(0x0a), { level: 9 });
}

function lines(n: number): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ eventID: `e-${i}`, pad: crypto.randomUUID() }) + "\n")
    .join("");
}

/** An events dir holding a good part and `bytes` as part-0 of a second partition; the state DB's path beside it. */
async function archiveWith(name: string, bytes: Uint8Array): Promise<{ dir: string; events: string; part: string }> {
  const dir = await Deno.makeTempDir();
  const events = join(dir, "events");
  await Deno.mkdir(join(events, PARTITION), { recursive: true });
  await Deno.writeFile(join(events, PARTITION, "part-0.jsonl.gz"), gzipSync(encoder.encode(lines(10))));
  const other = join(events, "account=444455556666/region=eu-west-1/date=2024-03-01");
  await Deno.mkdir(other, { recursive: true });
  await Deno.writeFile(join(other, name), bytes);
  return { dir, events, part: join(other, name) };
}

async function assertRebuildRefused(name: string, bytes: Uint8Array, issue: string): Promise<void> {
  const { dir, events, part } = await archiveWith(name, bytes);
  try {
    const before = await Deno.readFile(part);
    const started = performance.now();
    await assert.rejects(
      rebuildState(join(dir, "s.db"), { eventsDir: events, trails: ["s3://b/"] }, { limit: LIMIT }),
      (e: unknown) => {
        assert.ok(e instanceof ArchivePartTooLarge, String(e));
        assert.equal(e.message, `archive part "${part}" is ${issue}`);
        return true;
      },
    );
    assert.ok(performance.now() - started < 5_000, `took ${performance.now() - started} ms`);
    assert.deepEqual(await Deno.readFile(part), before, "the part is left as it was");
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["events"], "no state DB made");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("rebuildState(): a gzip bomb in the archive is refused at the limit, not inflated whole", async () => {
  await assertRebuildRefused("part-0.jsonl.gz", bomb(64 << 20), "over the log file limit of 1 MiB uncompressed");
});

Deno.test("rebuildState(): a plain part larger than the limit is refused before it is read", async () => {
  const bytes = new Uint8Array(2 << 20);
  bytes.set(encoder.encode(lines(1)));
  await assertRebuildRefused("part-0.jsonl", bytes, "over the log file limit of 1 MiB uncompressed");
});

Deno.test("rebuildState(): a gzip part larger than the limit on disk is refused before it is inflated", async () => {
  const random = new Uint8Array(2 << 20);
  for (let at = 0; at < random.length; at += 65536) crypto.getRandomValues(random.subarray(at, at + 65536));
  await assertRebuildRefused(
    "part-0.jsonl.gz",
    gzipSync(random, { level: 0 }),
    "over the log file limit of 1 MiB compressed",
  );
});

Deno.test("rebuildState(): a torn part whose cut member is a bomb is refused, not inflated whole", async () => {
  const good = gzipSync(encoder.encode(lines(10)));
  const cut = bomb(64 << 20);
  const torn = new Uint8Array([...good, ...cut.subarray(0, cut.length - 100)]);
  await assertRebuildRefused("part-0.jsonl.gz", torn, "over the log file limit of 1 MiB uncompressed");
});

Deno.test("Archive.recover(): a bomb written past the ledger's length is refused, and the file left as it was", async () => {
  const dir = await Deno.makeTempDir();
  const identity = { eventsDir: dir, trails: ["s3://b/"] };
  const state = SyncState.open(join(dir, "s.db"), identity);
  try {
    const good = gzipSync(encoder.encode(lines(10)));
    const path = `${PARTITION}/part-0.jsonl.gz`;
    await Deno.mkdir(join(dir, PARTITION), { recursive: true });
    await Deno.writeFile(join(dir, path), new Uint8Array([...good, ...bomb(64 << 20)]));
    state.preparePartition(PARTITION);
    await state.transaction(() => {
      state.announceOutput({ path, partition: PARTITION, part: 0, length: good.length, lines: 10 });
      return Promise.resolve();
    });
    const before = await Deno.readFile(join(dir, path));
    const archive = new Archive(dir, { eventsPerFile: 10_000, gzip: true, limit: LIMIT }, state);
    await assert.rejects(archive.recover(), {
      name: "ArchivePartTooLarge",
      message: `archive part "${join(dir, path)}" is over the log file limit of 1 MiB uncompressed`,
    });
    assert.deepEqual(await Deno.readFile(join(dir, path)), before);
    assert.deepEqual(state.outputs().map((o) => o.length), [good.length], "the ledger is unchanged");
  } finally {
    state.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rebuildState(): a torn tail full of fake gzip headers takes bounded time, and the lines before it stay", async () => {
  const { dir, events, part } = await archiveWith("part-0.jsonl.gz", new Uint8Array());
  try {
    const good = gzipSync(encoder.encode(lines(20_000)));
    // 300 kB of gzip's magic number and deflate's method byte: each looks like the start of a member.
    const fakes = new Uint8Array(300_000).map((_, i) => [0x1f, 0x8b, 0x08][i % 3]!);
    await Deno.writeFile(part, new Uint8Array([...good, ...fakes]));
    const started = performance.now();
    const report = await rebuildState(join(dir, "s.db"), { eventsDir: events, trails: ["s3://b/"] });
    assert.ok(performance.now() - started < 20_000, `took ${performance.now() - started} ms`);
    assert.equal(report.lines, 20_010, "every line of the whole member, and of the good part");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readPartBytes(): a file that claims no size and never ends (/dev/zero) is read to one byte past the limit", async () => {
  await assert.rejects(readPartBytes("/dev/zero", false, 0, LIMIT), {
    name: "ArchivePartTooLarge",
    message: 'archive part "/dev/zero" is over the log file limit of 1 MiB uncompressed',
  });
});
