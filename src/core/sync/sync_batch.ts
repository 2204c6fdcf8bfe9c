/** De-duplication of a batch of files for the archive: which lines are new, and what each file counted. */
import type { SyncOut } from "./sync_partition.ts";

/** A batch's new lines per partition, and per file how many events it wrote and dropped. */
export interface DedupedBatch {
  appends: { partition: string; lines: Uint8Array[] }[];
  files: { events: number; duplicates: number }[];
}

/** Claims keys of a partition: true for each key never written before (nor earlier in the list). */
export type ClaimKeys = (partition: string, keys: string[]) => boolean[];

/** How many lines each partition of a batch has at most (before de-duplication), to prepare its part files. */
export function linesPerPartition(outs: SyncOut[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const out of outs) {
    for (const p of out.partitions) counts.set(p.partition, (counts.get(p.partition) ?? 0) + p.keys.length);
  }
  return counts;
}

/** Keeps the first line of every key `claim` grants, in file order; the rest are duplicates. */
export function dedupeBatch(outs: SyncOut[], claim: ClaimKeys): DedupedBatch {
  const byPartition = new Map<string, { keys: string[]; lines: Uint8Array[]; file: number[] }>();
  outs.forEach((out, file) => {
    for (const p of out.partitions) {
      const group = byPartition.get(p.partition) ?? { keys: [], lines: [], file: [] };
      let start = 0;
      for (let i = 0; i < p.keys.length; i++) {
        group.keys.push(p.keys[i]!);
        group.lines.push(p.bytes.subarray(start, p.ends[i]!));
        group.file.push(file);
        start = p.ends[i]!;
      }
      byPartition.set(p.partition, group);
    }
  });
  const files = outs.map(() => ({ events: 0, duplicates: 0 }));
  const appends: DedupedBatch["appends"] = [];
  for (const [partition, group] of byPartition) {
    const fresh = claim(partition, group.keys);
    const lines: Uint8Array[] = [];
    fresh.forEach((isNew, i) => {
      const counts = files[group.file[i]!]!;
      if (isNew) {
        lines.push(group.lines[i]!);
        counts.events++;
      } else counts.duplicates++;
    });
    if (lines.length > 0) appends.push({ partition, lines });
  }
  return { appends, files };
}
