/** The texts of `validate`: one line per file that is not valid, the summary, and the streamed JSON document. */
import {
  countResult,
  FILE_STATES,
  type FileResult,
  type FileState,
  notValid,
  type StateCounts,
} from "../core/digest/digest_state.ts";

/** `modified<TAB>log<TAB>s3://bucket/key<TAB>reason`: a line of the text result (stdout) for a file that is not valid. */
export function resultLine(result: FileResult, where: string): string {
  return `${result.state}\t${result.kind}\t${where}\t${result.reason ?? ""}\n`;
}

function part(counts: Record<FileState, number>, noun: string): string {
  const n = FILE_STATES.reduce((sum, s) => sum + counts[s], 0);
  const shown = FILE_STATES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return `${n} ${noun} (${n === 0 ? "none" : shown.join(", ")})`;
}

/** What a run counted besides the states. */
export interface ValidateTotals {
  counts: StateCounts;
  /** Files that could not be read (denied, failing): neither valid nor proven otherwise. */
  unreadable: number;
  units: number;
  seconds: number;
  /** The latest time an awaiting-digest file's digest is due: a run after it decides every one (ISO 8601). */
  recheckAfter?: string;
}

/** Counts a result into the totals and keeps the latest time to run again. */
export function tally(t: ValidateTotals, result: FileResult): void {
  countResult(t.counts, result);
  if (result.recheckAfter && (t.recheckAfter === undefined || result.recheckAfter > t.recheckAfter)) {
    t.recheckAfter = result.recheckAfter;
  }
}

/** `validate: 2 log files await their digest (...): run again after 2024-03-01T08:40:00Z`, or undefined when none. */
export function awaitingLine(t: ValidateTotals, command = "validate"): string | undefined {
  const n = t.counts.log["awaiting-digest"];
  if (n === 0 || t.recheckAfter === undefined) return undefined;
  const files = n === 1 ? "1 log file awaits its digest" : `${n} log files await their digest`;
  return `${command}: ${files} (CloudTrail delivers one about every hour): run again after ${t.recheckAfter}`;
}

/** `validate: 2 account/regions, 96 digests (96 valid), 160 log files (159 valid, 1 modified), 0 unreadable in 1.2 s` */
export function validateSummary(t: ValidateTotals): string {
  return `validate: ${t.units} account/region${t.units === 1 ? "" : "s"}, ${part(t.counts.digest, "digests")}, ${
    part(t.counts.log, "log files")
  }, ${t.unreadable} unreadable in ${t.seconds.toFixed(1)} s`;
}

/** One entry of the JSON document's `files` list. */
export function jsonEntry(result: FileResult, where: string, first: boolean): string {
  return `${first ? "" : ",\n"}${JSON.stringify({ ...result, location: where })}`;
}

/** The end of the JSON document: the counts per kind and state, the verdict, and when to run again. */
export function jsonTail(t: ValidateTotals): string {
  const valid = notValid(t.counts) === 0 && t.unreadable === 0;
  const summary = {
    valid,
    digests: t.counts.digest,
    logFiles: t.counts.log,
    unreadable: t.unreadable,
    recheckAfter: t.recheckAfter ?? null,
    states: FILE_STATES,
  };
  return `\n],\n"summary": ${JSON.stringify(summary)}}\n`;
}

/** The start of the JSON document. */
export const JSON_HEAD = '{"files": [\n';
