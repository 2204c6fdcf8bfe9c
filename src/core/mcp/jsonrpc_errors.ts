/**
 * The JSON-RPC 2.0 error responses a server owes for messages it cannot take: a line
 * that is not JSON (-32700), a request that is not valid (-32600), one too large to read
 * (-32600, naming the limit). The id is the request's when it can be told, else null.
 */

/** A JSON-RPC request id. */
export type JsonRpcId = string | number;

/** A JSON-RPC error response. */
export interface JsonRpcErrorResponse {
  jsonrpc: "2.0";
  id: JsonRpcId | null;
  error: { code: number; message: string };
}

/** JSON-RPC's error codes. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INTERNAL_ERROR = -32603;

/** An error response to request `id` (null when it cannot be told). */
export function errorResponse(id: JsonRpcId | null | undefined, code: number, message: string): JsonRpcErrorResponse {
  return { jsonrpc: "2.0", id: id ?? null, error: { code, message } };
}

/** The id of a parsed message: a string or an integer, else undefined. */
export function idOf(message: unknown): JsonRpcId | undefined {
  if (typeof message !== "object" || message === null || Array.isArray(message)) return undefined;
  const id = (message as { id?: unknown }).id;
  return typeof id === "string" || (typeof id === "number" && Number.isSafeInteger(id)) ? id : undefined;
}

/** What is wrong with a message that is JSON but not a JSON-RPC 2.0 request, in words; undefined when nothing obvious. */
export function requestProblem(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    return Array.isArray(message) ? "batches are not supported: send one JSON object per line" : "not a JSON object";
  }
  const m = message as Record<string, unknown>;
  if (m.jsonrpc !== "2.0") return `"jsonrpc" must be "2.0", not ${JSON.stringify(m.jsonrpc) ?? "missing"}`;
  if ("id" in m && idOf(m) === undefined) return '"id" must be a string or an integer';
  if ("method" in m && typeof m.method !== "string") return '"method" must be a string';
  if ("params" in m && (typeof m.params !== "object" || m.params === null || Array.isArray(m.params))) {
    return '"params" must be an object';
  }
  return undefined;
}

const ID_VALUE = String.raw`("(?:[^"\\]|\\.)*"|-?\d+)`;
// The top-level id of a JSON object: the first key (after "jsonrpc"), or the last (as the MCP SDK writes requests).
const HEAD_ID = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"[^"]*"\s*,\s*)?"id"\s*:\s*${ID_VALUE}`);
const TAIL_ID = new RegExp(String.raw`[,{]\s*"id"\s*:\s*${ID_VALUE}\s*\}\s*$`);

/**
 * The id of a message too large to parse, from its first and last bytes (as text): where
 * writers put it, first or last of the top-level keys. Undefined when neither shows it.
 */
export function idFromEdges(head: string, tail: string): JsonRpcId | undefined {
  const found = HEAD_ID.exec(head)?.[1] ?? TAIL_ID.exec(tail)?.[1];
  if (found === undefined) return undefined;
  try {
    return idOf({ id: JSON.parse(found) });
  } catch {
    return undefined;
  }
}

/** The error for a message of `length` bytes over the `limit`. */
export function oversizedMessage(length: number, limit: number): string {
  return `message of ${length} bytes is over the server's limit of ${limit} bytes (${limit / 2 ** 20} MiB) per ` +
    "message: send less per call (fewer records), or select them by principalArn and time";
}
