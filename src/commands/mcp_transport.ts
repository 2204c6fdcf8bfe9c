/**
 * MCP over stdio, one JSON-RPC message per line, for a server that always answers: a
 * line over `maxMessageBytes` is skipped and answered with an error naming the limit, a
 * line that is not JSON with -32700, an invalid request with -32600 (to its id when it
 * has one), and reading goes on. Replaces the SDK's StdioServerTransport, which drops
 * such lines without a word and stops reading after an oversized one. When the input
 * ends, the requests read are still answered before the transport closes.
 */
import { escapeControl } from "../output/escape_control.ts";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { TextSink } from "../runtime/io.ts";
import { type ByteLine, ByteLines } from "../core/util/byte_lines.ts";
import {
  errorResponse,
  idFromEdges,
  idOf,
  INTERNAL_ERROR,
  INVALID_REQUEST,
  type JsonRpcErrorResponse,
  oversizedMessage,
  PARSE_ERROR,
  requestProblem,
} from "../core/mcp/jsonrpc_errors.ts";
import { errorMessage } from "../core/util/error_message.ts";

/** Options of {@link LineTransport}. */
export interface LineTransportOptions {
  /** The longest message read, in bytes (a longer one is answered with an error). */
  maxMessageBytes: number;
  /** True when the value is a message the SDK takes (its JSONRPCMessageSchema). */
  isMessage: (value: unknown) => boolean;
}

const decoder = new TextDecoder();

/** A Transport over a byte stream in and a text sink out. */
export class LineTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  /** Why reading the input stopped, when it failed (stdin a directory, an I/O error); undefined when it ended. */
  readError: Error | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;
  /** Requests read and not answered yet, by id (a client may reuse an id while a request is in flight). */
  #pending = new Map<string | number, number>();
  #answered: (() => void) | undefined;

  constructor(
    private readonly input: ReadableStream<Uint8Array>,
    private readonly output: TextSink,
    private readonly options: LineTransportOptions,
  ) {}

  /** Starts reading; ends (onclose) when the input ends. */
  start(): Promise<void> {
    this.#reader = this.input.getReader();
    void this.#read(this.#reader);
    return Promise.resolve();
  }

  async #read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const lines = new ByteLines(this.options.maxMessageBytes);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const line of lines.push(value)) this.#takeSafely(line);
      }
      for (const line of lines.end()) this.#takeSafely(line);
    } catch (e) {
      this.readError = e instanceof Error ? e : new Error(String(e));
      if (!this.#closed) this.onerror?.(this.readError);
    }
    while (this.#pending.size > 0 && !this.#closed) await new Promise<void>((resolve) => (this.#answered = resolve));
    await this.#writing;
    await this.close();
  }

  /** Takes one line; whatever taking it throws costs that line only (an internal error to its id, if it has one). */
  #takeSafely(line: ByteLine): void {
    try {
      this.#take(line);
    } catch (e) {
      const id = line.kind === "line"
        ? idFromEdges(decoder.decode(line.bytes.subarray(0, 4096)), decoder.decode(line.bytes.subarray(-4096)))
        : undefined;
      this.#reply(
        errorResponse(
          id,
          INTERNAL_ERROR,
          `Internal error: ${escapeControl(errorMessage(e))}`,
        ),
      );
    }
  }

  #take(line: ByteLine): void {
    if (line.kind === "oversized") {
      const id = idFromEdges(decoder.decode(line.head), decoder.decode(line.tail));
      this.#reply(errorResponse(id, INVALID_REQUEST, oversizedMessage(line.length, this.options.maxMessageBytes)));
      return;
    }
    const text = decoder.decode(line.bytes);
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.#reply(
        errorResponse(null, PARSE_ERROR, `Parse error: ${escapeControl(errorMessage(e))}`),
      );
      return;
    }
    const problem = requestProblem(value) ?? (this.options.isMessage(value) ? undefined : "not a JSON-RPC message");
    if (problem === undefined) {
      const id = idOf(value);
      if (id !== undefined && "method" in (value as object)) this.#pending.set(id, (this.#pending.get(id) ?? 0) + 1);
      this.onmessage?.(value as JSONRPCMessage);
    } // A response or a notification gets no answer, even a wrong one; a request (or what cannot be told) does.
    else if (idOf(value) !== undefined || !isNotification(value)) {
      this.#reply(errorResponse(idOf(value), INVALID_REQUEST, `Invalid Request: ${problem}`));
    }
  }

  #reply(response: JsonRpcErrorResponse): void {
    this.send(response as JSONRPCMessage).catch(() => {}); // a failed write is reported by send
  }

  /** Writes one message as a line; writes never interleave. */
  send(message: JSONRPCMessage): Promise<void> {
    const text = JSON.stringify(message) + "\n";
    const written = this.#writing.then(() => this.#closed ? undefined : this.output.write(text));
    const id = idOf(message);
    if (id !== undefined && !("method" in message) && this.#answer(id) && this.#pending.size === 0) {
      const answered = () => this.#answered?.();
      written.then(answered, answered);
    }
    this.#writing = written.catch((e) => {
      this.onerror?.(e instanceof Error ? e : new Error(String(e)));
      void this.close(); // the client is gone (broken pipe): nobody to answer
    });
    return written;
  }

  /** Counts one answer to `id`; true when a request with that id was waiting. */
  #answer(id: string | number): boolean {
    const waiting = this.#pending.get(id);
    if (waiting === undefined) return false;
    if (waiting > 1) this.#pending.set(id, waiting - 1);
    else this.#pending.delete(id);
    return true;
  }

  /** Stops reading; onclose once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#answered?.();
    await this.#reader?.cancel().catch(() => {});
    this.onclose?.();
  }
}

function isNotification(value: unknown): boolean {
  return typeof value === "object" && value !== null && "method" in value && !("id" in value);
}
