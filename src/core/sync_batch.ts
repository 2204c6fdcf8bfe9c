/** De-duplication of a batch of files for the archive: which lines are new, and what each file counted. */
import type { SyncOut } from "./sync_partition.ts";

/** A batch's new lines per partition, its new keys, and per file how many events it wrote and dropped. */
export interface DedupedBatch {
  appends: { partition: string; lines: Uint8Array[] }[];
  newKeys: string[];
  files: { events: number; duplicates: number }[];
}

/**
 * Keeps the first line of every key not `seen` before (in an earlier commit) nor
 * earlier in this batch, in file order; the rest are duplicates.
 */
export function dedupeBatch(outs: SyncOut[], seen: (key: string) => boolean): DedupedBatch {
  const inBatch = new Set<string>();
  const appends = new Map<string, Uint8Array[]>();
  const newKeys: string[] = [];
  const files = outs.map((out) => {
    let events = 0;
    let duplicates = 0;
    for (const p of out.partitions) {
      let start = 0;
      for (let i = 0; i < p.keys.length; i++) {
        const key = p.keys[i]!;
        const end = p.ends[i]!;
        if (inBatch.has(key) || seen(key)) duplicates++;
        else {
          inBatch.add(key);
          newKeys.push(key);
          const lines = appends.get(p.partition) ?? [];
          lines.push(p.bytes.subarray(start, end));
          appends.set(p.partition, lines);
          events++;
        }
        start = end;
      }
    }
    return { events, duplicates };
  });
  return { appends: [...appends].map(([partition, lines]) => ({ partition, lines })), newKeys, files };
}
