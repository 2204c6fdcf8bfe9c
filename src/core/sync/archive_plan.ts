/** How new lines of a partition are spread over its part files, `events_per_file` lines each at most. */

/** The newest part of a partition as the ledger has it. */
export interface PartState {
  part: number;
  lines: number;
}

/** A run of lines for one part file. */
export interface PartAppend {
  part: number;
  /** Lines [from, to) of the batch. */
  from: number;
  to: number;
  /** The part file is new (announce it before writing). */
  isNew: boolean;
}

/** Splits `count` new lines after `last` (undefined: the partition has no part yet) into appends of at most `perFile` lines. */
export function planAppends(last: PartState | undefined, count: number, perFile: number): PartAppend[] {
  const appends: PartAppend[] = [];
  let part = last?.part ?? 0;
  let room = last ? perFile - last.lines : perFile;
  let isNew = last === undefined;
  let from = 0;
  while (from < count) {
    if (room <= 0) {
      part++;
      room = perFile;
      isNew = true;
    }
    const to = Math.min(count, from + room);
    appends.push({ part, from, to, isNew });
    room -= to - from;
    from = to;
    isNew = false;
  }
  return appends;
}

/** The relative path of a part file. */
export function partPath(partition: string, part: number, gzip: boolean): string {
  return `${partition}/part-${part}.jsonl${gzip ? ".gz" : ""}`;
}
