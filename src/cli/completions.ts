/** Static shell completion scripts generated from the command tree (subcommands such as `sync init` included). */
import type { Command } from "@commander-js/extra-typings";

interface OptionInfo {
  flag: string;
  description: string;
  takesValue: boolean;
  choices: readonly string[];
}

interface CommandInfo {
  /** "sync init": the words after the program name. */
  path: string;
  name: string;
  description: string;
  options: OptionInfo[];
  argumentChoices: readonly string[];
  subcommands: CommandInfo[];
}

// deno-lint-ignore no-explicit-any
type AnyCommand = Command<any, any, any>;

/** `parentPath` is undefined for the program itself (path ""), "" for its commands. */
function describe(command: AnyCommand, parentPath?: string): CommandInfo {
  const help = command.createHelp();
  const path = parentPath === undefined ? "" : parentPath === "" ? command.name() : `${parentPath} ${command.name()}`;
  return {
    path,
    name: command.name(),
    description: command.description(),
    options: help.visibleOptions(command).filter((o) => o.long).map((o) => ({
      flag: o.long!,
      description: o.description,
      takesValue: o.required || o.optional,
      choices: o.argChoices ?? [],
    })),
    argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
    subcommands: command.commands.map((c) => describe(c, path)),
  };
}

/** Every command below `root`, parents before their subcommands. */
function flatten(root: CommandInfo): CommandInfo[] {
  return root.subcommands.flatMap((c) => [c, ...flatten(c)]);
}

function parentPath(c: CommandInfo): string {
  return c.path.slice(0, -c.name.length).trimEnd();
}

function quote(s: string): string {
  return "'" + s.replaceAll("'", "'\\''") + "'";
}

/** The words offered after a command: its subcommands, options and argument values. */
function words(c: CommandInfo): string[] {
  return [...c.subcommands.map((s) => s.name), ...c.options.map((o) => o.flag), ...c.argumentChoices];
}

function bash(name: string, root: CommandInfo): string {
  const all = flatten(root);
  const known = all.map((c) => `"${parentPath(c)} ${c.name}"`).join("|");
  const values = all.flatMap((c) =>
    c.options.filter((o) => o.choices.length).map((o) =>
      `    "${c.path} ${o.flag}") opts=${quote(o.choices.join(" "))} ;;`
    )
  ).join("\n");
  const takesValue = all.flatMap((c) => c.options.filter((o) => o.takesValue && !o.choices.length))
    .map((o) => `*" ${o.flag}"`);
  const cases = all.map((c) => `        "${c.path}") opts=${quote(words(c).join(" "))} ;;`).join("\n");
  const fn = `_${name.replaceAll("-", "_")}`;
  return `# bash completion for ${name}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" opts i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "$cmd \${COMP_WORDS[i]}" in
      ${known}) cmd="\${cmd:+$cmd }\${COMP_WORDS[i]}" ;;
    esac
  done
  case "$cmd $prev" in
${values}
    ${[...new Set(takesValue)].join("|")}) opts="" ;;
    *)
      case "$cmd" in
        "") opts=${quote(words(root).join(" "))} ;;
${cases}
        *) opts="" ;;
      esac ;;
  esac
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o default -F ${fn} ${name}
`;
}

function zsh(name: string, root: CommandInfo): string {
  const escape = (s: string) =>
    s.replaceAll("'", "'\\''").replaceAll("[", "\\[").replaceAll("]", "\\]").replaceAll(":", "\\:");
  const optionSpecs = (c: CommandInfo) =>
    c.options.map((o) =>
      `'${o.flag}[${escape(o.description)}]${
        o.takesValue ? `:value:${o.choices.length ? `(${o.choices.join(" ")})` : "_files"}` : ""
      }'`
    ).join(" ");
  const specs = (c: CommandInfo) =>
    `_arguments ${optionSpecs(c)}${c.argumentChoices.length ? ` '1:value:(${c.argumentChoices.join(" ")})'` : ""}${
      c.subcommands.length ? ` '1:command:(${c.subcommands.map((s) => s.name).join(" ")})'` : ""
    }`;
  const cases = root.subcommands.map((c) => {
    const nested = c.subcommands.map((s) => `(( \${words[(I)${s.name}]} )) && { ${specs(s)}; return }; `).join("");
    return `    ${c.name}) ${nested}${specs(c)} ;;`;
  }).join("\n");
  return `#compdef ${name}
_${name}() {
  local line state
  _arguments -C ${optionSpecs(root)} '1:command:->command' '*::arg:->args'
  case $state in
    command)
      local -a commands
      commands=(${root.subcommands.map((c) => `'${c.name}:${escape(c.description)}'`).join(" ")})
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

function fish(name: string, root: CommandInfo): string {
  const lines = [`# fish completion for ${name}`, `complete -c ${name} -f`];
  const none = `__fish_use_subcommand`;
  for (const o of root.options) {
    lines.push(`complete -c ${name} -n ${none} -l ${o.flag.slice(2)} -d ${quote(o.description)}`);
  }
  for (const c of root.subcommands) {
    lines.push(`complete -c ${name} -n ${none} -a ${c.name} -d ${quote(c.description)}`);
  }
  for (const c of flatten(root)) {
    // In "sync": not once "init" is typed; in "sync init": both seen.
    const seen = c.path.split(" ").map((w) => `__fish_seen_subcommand_from ${w}`);
    const unseen = c.subcommands.map((s) => `; and not __fish_seen_subcommand_from ${s.name}`).join("");
    const when = quote(seen.join("; and ") + unseen);
    for (const s of c.subcommands) lines.push(`complete -c ${name} -n ${when} -a ${s.name} -d ${quote(s.description)}`);
    for (const o of c.options) {
      const values = o.choices.length ? ` -x -a ${quote(o.choices.join(" "))}` : o.takesValue ? " -r -F" : "";
      lines.push(`complete -c ${name} -n ${when} -l ${o.flag.slice(2)}${values} -d ${quote(o.description)}`);
    }
    if (c.argumentChoices.length) lines.push(`complete -c ${name} -n ${when} -a ${quote(c.argumentChoices.join(" "))}`);
  }
  return lines.join("\n") + "\n";
}

/** The completion script for `shell`, covering every command, subcommand, option and fixed value of `program`. */
export function completionScript(program: AnyCommand, shell: "bash" | "zsh" | "fish"): string {
  return { bash, zsh, fish }[shell](program.name(), describe(program));
}
