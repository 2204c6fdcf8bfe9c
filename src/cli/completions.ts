/** Static shell completion scripts generated from the command tree. */
import type { Command } from "@commander-js/extra-typings";

interface CommandInfo {
  name: string;
  description: string;
  options: { flag: string; description: string; takesValue: boolean; choices: readonly string[] }[];
  argumentChoices: readonly string[];
}

// deno-lint-ignore no-explicit-any
type AnyCommand = Command<any, any, any>;

function describe(command: AnyCommand): CommandInfo {
  const help = command.createHelp();
  return {
    name: command.name(),
    description: command.description(),
    options: help.visibleOptions(command).filter((o) => o.long).map((o) => ({
      flag: o.long!,
      description: o.description,
      takesValue: o.required || o.optional,
      choices: o.argChoices ?? [],
    })),
    argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
  };
}

function quote(s: string): string {
  return "'" + s.replaceAll("'", "'\\''") + "'";
}

function bash(name: string, root: CommandInfo, subs: CommandInfo[]): string {
  const cases = subs.map((c) =>
    `    ${c.name}) opts=${quote([...c.options.map((o) => o.flag), ...c.argumentChoices].join(" "))} ;;`
  ).join("\n");
  const fn = `_${name.replaceAll("-", "_")}`;
  return `# bash completion for ${name}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="" opts i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$cmd" in
    "") opts=${quote([...subs.map((c) => c.name), ...root.options.map((o) => o.flag)].join(" "))} ;;
${cases}
    *) opts="" ;;
  esac
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o default -F ${fn} ${name}
`;
}

function zsh(name: string, root: CommandInfo, subs: CommandInfo[]): string {
  const escape = (s: string) =>
    s.replaceAll("'", "'\\''").replaceAll("[", "\\[").replaceAll("]", "\\]").replaceAll(":", "\\:");
  const optionSpecs = (c: CommandInfo) =>
    c.options.map((o) =>
      `'${o.flag}[${escape(o.description)}]${
        o.takesValue ? `:value:${o.choices.length ? `(${o.choices.join(" ")})` : ""}` : ""
      }'`
    ).join(" ");
  const cases = subs.map((c) =>
    `    ${c.name}) _arguments ${optionSpecs(c)}${
      c.argumentChoices.length ? ` '1:value:(${c.argumentChoices.join(" ")})'` : ""
    } ;;`
  ).join("\n");
  return `#compdef ${name}
_${name}() {
  local line state
  _arguments -C ${optionSpecs(root)} '1:command:->command' '*::arg:->args'
  case $state in
    command)
      local -a commands
      commands=(${subs.map((c) => `'${c.name}:${escape(c.description)}'`).join(" ")})
      _describe command commands ;;
    args)
      case $line[1] in
${cases}
      esac ;;
  esac
}
compdef _${name} ${name}
`;
}

function fish(name: string, root: CommandInfo, subs: CommandInfo[]): string {
  const lines = [`# fish completion for ${name}`, `complete -c ${name} -f`];
  const none = `__fish_use_subcommand`;
  for (const o of root.options) {
    lines.push(`complete -c ${name} -n ${none} -l ${o.flag.slice(2)} -d ${quote(o.description)}`);
  }
  for (const c of subs) {
    lines.push(`complete -c ${name} -n ${none} -a ${c.name} -d ${quote(c.description)}`);
    const when = `'__fish_seen_subcommand_from ${c.name}'`;
    for (const o of c.options) {
      const values = o.choices.length ? ` -r -a ${quote(o.choices.join(" "))}` : o.takesValue ? " -r" : "";
      lines.push(`complete -c ${name} -n ${when} -l ${o.flag.slice(2)}${values} -d ${quote(o.description)}`);
    }
    if (c.argumentChoices.length) lines.push(`complete -c ${name} -n ${when} -a ${quote(c.argumentChoices.join(" "))}`);
  }
  return lines.join("\n") + "\n";
}

/** The completion script for `shell`, covering every command and option of `program`. */
export function completionScript(program: AnyCommand, shell: "bash" | "zsh" | "fish"): string {
  const root = describe(program);
  const subs = program.commands.map(describe);
  return { bash, zsh, fish }[shell](program.name(), root, subs);
}
