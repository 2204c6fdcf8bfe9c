/** `rebuildState()` on gzip part files cut by a torn write: every line that can be read is kept, the file matches the ledger. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { rebuildState } from "../../src/state/state_rebuild.ts";
import { SyncState } from "../../src/state/sync_state.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `n` archive lines of a partition (random text, so deflate cannot shrink them to nothing). */
function lines(tag: string, n: number): string[] {
  return Array.from(
    { length: n },
    (_, i) => JSON.stringify({ eventID: `${tag}-${i}`, pad: crypto.randomUUID() }) + "\n",
  );
}

function member(text: string[]): Uint8Array {
  return gzipSync(encoder.encode(text.join("")));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The complete lines `gzip -dc` (another implementation) reads from a cut file: what must be kept at least. */
async function gzipReads(bytes: Uint8Array): Promise<number> {
  const path = await Deno.makeTempFile({ suffix: ".gz" });
  await Deno.writeFile(path, bytes);
  const out = await new Deno.Command("gzip", { args: ["-dc", path], stdout: "piped", stderr: "null" }).output();
  await Deno.remove(path);
  return decoder.decode(out.stdout).split("\n").length - 1;
}

interface Case {
  name: string;
  /** The lines written, in order. */
  written: string[];
  /** The file as the torn write left it. */
  bytes: Uint8Array;
  /** At least this many of the first lines must be kept. */
  atLeast: number;
  /** At most this many (lines past the cut are not there to read). */
  atMost: number;
}

async function cases(): Promise<Case[]> {
  const one = lines("one", 3000);
  const oneGz = member(one);
  const oneCut = oneGz.subarray(0, Math.floor(oneGz.length / 2));
  const [first, second] = [lines("a", 40), lines("b", 2000)];
  const [firstGz, secondGz] = [member(first), member(second)];
  const twoCut = concat(firstGz, secondGz.subarray(0, Math.floor(secondGz.length * 0.7)));
  const padded = concat(firstGz, secondGz.subarray(0, Math.floor(secondGz.length * 0.4)), new Uint8Array(4096));
  const inHeader = concat(firstGz, secondGz.subarray(0, 5));
  const holeAt = firstGz.length + Math.floor(secondGz.length * 0.5);
  const holed = concat(firstGz, secondGz);
  holed.fill(0, holeAt, holeAt + 4096);
  return [
    {
      name: "one member cut in the middle",
      written: one,
      bytes: oneCut,
      atLeast: await gzipReads(oneCut),
      atMost: 2999,
    },
    {
      name: "the second member cut",
      written: [...first, ...second],
      bytes: twoCut,
      atLeast: await gzipReads(twoCut),
      atMost: 2039,
    },
    {
      name: "the second member cut, then zero bytes (a torn write the file system padded)",
      written: [...first, ...second],
      bytes: padded,
      atLeast: await gzipReads(padded.subarray(0, padded.length - 4096)),
      atMost: 2039,
    },
    { name: "cut inside the second member's header", written: first, bytes: inHeader, atLeast: 40, atMost: 40 },
    {
      name: "the second member with a block of zeros in it (a block the file system never wrote)",
      written: [...first, ...second],
      bytes: holed,
      atLeast: await gzipReads(holed.subarray(0, holeAt)),
      atMost: 2039,
    },
    {
      name: "a whole member, then zero bytes",
      written: first,
      bytes: concat(firstGz, new Uint8Array(4096)),
      atLeast: 40,
      atMost: 40,
    },
  ];
}

Deno.test("rebuildState() keeps every complete line of the readable prefix of a cut gzip part; file and ledger agree", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const all = await cases();
    const events = join(dir, "events");
    const pathOf = (i: number) => `account=111122223333/region=eu-west-1/date=2024-03-0${i + 1}/part-0.jsonl.gz`;
    for (const [i, c] of all.entries()) {
      await Deno.mkdir(join(events, pathOf(i), ".."), { recursive: true });
      await Deno.writeFile(join(events, pathOf(i)), c.bytes);
    }
    // A symlink where the rewrite puts its temporary file (a shared folder's classic attack) is not followed.
    const victim = join(dir, "victim.txt");
    await Deno.writeTextFile(victim, "precious\n");
    await Deno.symlink(victim, join(events, pathOf(0), "..", ".part-0.jsonl.gz.mend"));
    const identity = { eventsDir: events, trails: ["s3://b/"] };
    const report = await rebuildState(join(dir, "s.db"), identity);
    const state = SyncState.open(join(dir, "s.db"), identity);
    const outputs = new Map(state.outputs().map((o) => [o.path, o]));
    state.close();
    let total = 0;
    for (const [i, c] of all.entries()) {
      const bytes = await Deno.readFile(join(events, pathOf(i)));
      const row = outputs.get(pathOf(i));
      assert.ok(row, c.name);
      assert.equal(row.length, bytes.length, `${c.name}: the ledger's length is the file's (no torn tail, no padding)`);
      const kept = decoder.decode(gunzipSync(bytes)).split("\n").slice(0, -1).map((l) => `${l}\n`);
      assert.deepEqual(kept, c.written.slice(0, kept.length), `${c.name}: the first lines, as written`);
      assert.equal(row.lines, kept.length, c.name);
      assert.ok(kept.length >= c.atLeast, `${c.name}: ${kept.length} lines kept, gzip reads ${c.atLeast}`);
      assert.ok(kept.length <= c.atMost, `${c.name}: ${kept.length} lines kept, at most ${c.atMost} were there`);
      assert.ok(!bytes.subarray(-4096).every((b) => b === 0), `${c.name}: no padding`);
      total += kept.length;
    }
    assert.equal(report.lines, total);
    assert.equal(await Deno.readTextFile(victim), "precious\n");
    assert.deepEqual((await Array.fromAsync(Deno.readDir(join(events, pathOf(0), "..")))).map((e) => e.name), [
      "part-0.jsonl.gz",
    ], "no temporary file left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
