/**
 * Names the endpoint a user chose on every error of an SDK client, so a failure (a dead endpoint) can say which one
 * as the user gave it, scheme, host and port: the network error itself knows only the address it dialled.
 */

/** The part of an SDK v3 client this needs: its middleware stack. */
interface Middlewared {
  middlewareStack: {
    // deno-lint-ignore no-explicit-any
    add(middleware: any, options: { step: "initialize"; name: string }): void;
  };
}

/** Sets `endpoint` on every error `client` throws (unless it has one). Returns `client`. */
export function endpointOnErrors<C extends Middlewared>(client: C, endpoint: string | undefined): C {
  if (endpoint === undefined) return client;
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        if (error !== null && typeof error === "object" && !("endpoint" in error) && Object.isExtensible(error)) {
          Object.assign(error, { endpoint });
        }
        throw error;
      }
    },
    { step: "initialize", name: "endpointOnErrors" },
  );
  return client;
}
