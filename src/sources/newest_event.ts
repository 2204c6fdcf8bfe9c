/** Finds the newest event among local log files, reading as few files as it can. */
import { type BoundedFile, mayHoldNewer, newestEventTime, newestFirst } from "../core/records/newest_event_plan.ts";
import { countInto } from "../core/util/counts.ts";
import { readInput } from "./record_input.ts";

/** A local log file and its delivery stamp. */
export interface DeliveredFile {
  path: string;
  delivered: number;
}

/** A local log file or archive file, and what bounds its events. */
export type LocalEventFile = { path: string } & BoundedFile;

/** What {@link findNewestEvent} found, and the files it could not read. */
export interface NewestEvent {
  newest: number | undefined;
  read: number;
  problems: { path: string; issue: string }[];
  /** Records of the files read that could not be used, by reason. */
  skippedRecords: Record<string, number>;
}

/** Reads files newest first (by the newest event each can hold) and stops when no other can hold a newer event. */
export function findNewestEvent(files: LocalEventFile[]): NewestEvent {
  let newest: number | undefined;
  let read = 0;
  const problems: { path: string; issue: string }[] = [];
  const skippedRecords: Record<string, number> = {};
  for (const file of newestFirst(files)) {
    if (!mayHoldNewer(file, newest)) break;
    read++;
    const input = readInput({ kind: "file", path: file.path });
    const result = input.ok ? newestEventTime(input.doc) : input;
    if (!result.ok) {
      problems.push({ path: file.path, issue: result.issue });
      continue;
    }
    for (const [issue, n] of Object.entries(result.skipped)) countInto(skippedRecords, issue, n);
    if (result.newest !== undefined && (newest === undefined || result.newest > newest)) newest = result.newest;
  }
  return { newest, read, problems, skippedRecords };
}
