/** Old option names kept working after a rename, without showing them in the help. */
import type { Option } from "@commander-js/extra-typings";
import type { AnyCommand } from "./command_context.ts";

/**
 * Adds `alias` (an option with its own parser, e.g. "--parallelism <n>") to `command`, hidden from
 * the help, as an old name of the option `target`: its value is set on the target, so the last of
 * the two given wins.
 */
export function addHiddenAlias(command: AnyCommand, alias: Option, target: string): void {
  const main = (command.options as readonly Option[]).find((o) => o.long === target);
  if (main === undefined) throw new Error(`no option ${target} to alias`);
  alias.hideHelp();
  alias.description = `old name of ${target}`;
  command.addOption(alias);
  command.on(`option:${alias.name()}`, () => {
    command.setOptionValueWithSource(main.attributeName(), command.getOptionValue(alias.attributeName()), "cli");
  });
}
