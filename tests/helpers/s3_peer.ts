/**
 * A real S3 protocol peer for tests: fauxqs in-process on 127.0.0.1, optionally
 * behind a small proxy that injects faults (throttling, 5xx, 403, slow bodies).
 */
import { S3Client } from "@aws-sdk/client-s3";
import { startFauxqs } from "fauxqs";
import { uploadTree } from "../../scripts/s3_upload.ts";

/** Decides per request: a Response to send instead, or undefined to pass it through. */
export type Fault = (request: Request, url: URL) => Response | Promise<Response | undefined> | undefined;

/** A running S3 peer. */
export interface S3Peer {
  /** The endpoint to give the CLI (the proxy's when faults are set). */
  endpoint: string;
  /** fauxqs itself (behind the proxy when faults are set). */
  upstream: string;
  client: S3Client;
  /** Requests seen by the proxy (method and path with query). */
  requests: string[];
  /** Uploads every file below `root` as `<prefix><path below root>`; returns the keys. */
  upload(bucket: string, root: string, prefix?: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts fauxqs (and a fault proxy when `fault` is given). */
export async function startS3Peer(
  options: { fault?: Fault; slowBodyMs?: number; holdBodyMs?: () => number } = {},
): Promise<S3Peer> {
  const server = await startFauxqs({ port: 0, host: "127.0.0.1", logger: false });
  const upstream = `http://127.0.0.1:${server.port}`;
  const requests: string[] = [];
  let proxy: Deno.HttpServer | undefined;
  if (options.fault || options.slowBodyMs || options.holdBodyMs) {
    proxy = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
      const url = new URL(request.url);
      requests.push(`${request.method} ${url.pathname}${url.search}`);
      const injected = await options.fault?.(request, url);
      if (injected) return injected;
      const headers = new Headers(request.headers);
      headers.delete("host");
      const response = await fetch(upstream + url.pathname + url.search, {
        method: request.method,
        headers,
        body: request.body,
        redirect: "manual",
      });
      if (!response.body || request.method !== "GET" || url.search.includes("list-type")) return response;
      // Held back before its first byte: a small file (one 4 KiB piece) is otherwise complete at once, its content
      // length reached, however slowly the rest of the stream would close.
      const hold = options.holdBodyMs?.() ?? 0;
      if (hold > 0) await new Promise((r) => setTimeout(r, hold));
      if (!options.slowBodyMs) return response;
      // Dribble the body out slowly so a test can interrupt a download half-way.
      const delay = options.slowBodyMs;
      const slowed = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          async transform(chunk, controller) {
            for (let i = 0; i < chunk.length; i += 4096) {
              controller.enqueue(chunk.subarray(i, i + 4096));
              await new Promise((r) => setTimeout(r, delay));
            }
          },
        }),
      );
      return new Response(slowed, { status: response.status, headers: response.headers });
    });
  }
  const endpoint = proxy ? `http://127.0.0.1:${(proxy.addr as Deno.NetAddr).port}` : upstream;
  const client = new S3Client({
    endpoint: upstream,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "AKIATESTTESTTEST", secretAccessKey: "test-secret" },
  });
  return {
    endpoint,
    upstream,
    client,
    requests,
    upload: (bucket, root, prefix = "") => uploadTree(client, bucket, root, prefix),
    async stop() {
      client.destroy();
      await proxy?.shutdown();
      await server.stop();
    },
  };
}

/** An S3 error response as the service sends it. */
export function s3Error(status: number, code: string, message = code): Response {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
    `<RequestId>TEST</RequestId></Error>`;
  return new Response(body, { status, headers: { "content-type": "application/xml" } });
}
