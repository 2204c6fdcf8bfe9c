/** What every command definition needs from the program. */
import type { Command } from "@commander-js/extra-typings";
import type { Io } from "../runtime/io.ts";

/** Any command of the tree (commander's typings carry each command's options). */
// deno-lint-ignore no-explicit-any
export type AnyCommand = Command<any, any, any>;

/** The process streams, the global --verbose, and the permission drop every action starts with. */
export interface CommandContext {
  io: Io;
  verbose(): boolean;
  /** Drops every Deno permission the command does not need (see command_permissions.ts). */
  restrict(command: string): Promise<void>;
}
