/**
 * One unit of input for a record step, and how to read it into a document: a file
 * (read where the step runs, so workers read in parallel), downloaded bytes, or text.
 */
import { gunzipSync } from "node:zlib";
import type { DocumentFormat, RecordDocument } from "../core/records/record_document.ts";
import { errorMessage } from "../core/util/error_message.ts";
import { type BoundedBytes, readFileUpTo } from "./bounded_file.ts";
import { fileOverLimitIssue, isOverLimit, overLimitIssue } from "../core/util/inflate_limit.ts";
import { logFileLimit } from "./log_file_limit.ts";

/** A file to read, bytes already fetched (gzipped or not), or text already in memory. */
export type RecordInput =
  | { kind: "file"; path: string }
  | { kind: "bytes"; name: string; bytes: Uint8Array }
  | { kind: "text"; name: string; doc: RecordDocument };

/** The document of an input, or why it cannot be had. */
export type InputDocument = { ok: true; doc: RecordDocument } | { ok: false; issue: string };

const decoder = new TextDecoder();

/** How a file holds its records, from its name: `.jsonl` / `.jsonl.gz` hold lines, anything else a Records document. */
function formatOfName(name: string): DocumentFormat {
  return /\.jsonl(\.gz)?$/.test(name) ? "lines" : "records";
}

/** The name an input is reported by. */
export function inputName(input: RecordInput): string {
  return input.kind === "file" ? input.path : input.name;
}

/** Reads an input. Never throws for bad data: the issue comes back as a value. */
export function readInput(input: RecordInput): InputDocument {
  if (input.kind === "text") return { ok: true, doc: input.doc };
  const name = inputName(input);
  const bytes = input.kind === "bytes" ? { ok: true as const, bytes: input.bytes } : readLogFile(input.path);
  if (!bytes.ok) return bytes;
  const text = decodeMaybeGzip(bytes.bytes, name.endsWith(".gz"));
  return text.ok ? { ok: true, doc: { text: text.text, format: formatOfName(name), bytes: text.bytes } } : text;
}

/**
 * The bytes of a log file, or why they cannot be had. A file larger than the log file limit is not read: a plain one
 * holds more uncompressed bytes than a gzip file may inflate to, a gzip one would inflate past the limit unless it is
 * mostly not data. One that grows while it is read is read no further than the limit.
 */
export function readLogFile(path: string): { ok: true; bytes: Uint8Array } | { ok: false; issue: string } {
  const limit = logFileLimit();
  let read: BoundedBytes;
  try {
    read = readFileUpTo(path, limit.bytes);
  } catch (e) {
    // By kind (NotFound, PermissionDenied, IsADirectory), not by message: the message names the path, and skips
    // are counted by reason. The path is in the warning of each skipped input.
    return { ok: false, issue: `cannot read: ${e instanceof Error ? e.name : e}` };
  }
  if (!read.over) return { ok: true, bytes: read.bytes };
  return { ok: false, issue: fileOverLimitIssue(limit, read.head) };
}

/** True when `bytes` start with gzip's magic number. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Gunzips bytes that start with gzip's magic number; bytes that must be gzip (`.gz`) and are not are an issue, and so
 * are bytes that inflate past the log file limit (inflating stops there: a gzip bomb costs no more than the limit).
 */
function decodeMaybeGzip(
  bytes: Uint8Array,
  mustBeGzip: boolean,
): { ok: true; text: string; bytes: Uint8Array } | { ok: false; issue: string } {
  if (bytes.length === 0) return { ok: false, issue: "empty file" };
  if (!isGzip(bytes)) {
    return mustBeGzip ? { ok: false, issue: "not gzip data" } : { ok: true, text: decoder.decode(bytes), bytes };
  }
  const limit = logFileLimit();
  try {
    const raw = gunzipSync(bytes, { maxOutputLength: limit.bytes });
    return { ok: true, text: decoder.decode(raw), bytes: raw };
  } catch (e) {
    if (isOverLimit(e)) return { ok: false, issue: overLimitIssue(limit) };
    const message = errorMessage(e);
    return {
      ok: false,
      issue: /unexpected end/i.test(message) ? "truncated gzip data" : `corrupt gzip data (${message})`,
    };
  }
}
