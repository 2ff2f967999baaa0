import type { Command } from 'commander';

/** One command of the tree, flattened: its path of names from the program down. */
interface Node {
  /** Names from the top, e.g. `['lead', 'send']`; empty for the program itself. */
  path: string[];
  description: string;
  /** Sub-command names, aliases included. */
  subcommands: { name: string; description: string }[];
  /** Long (and short) flags, with whether they take a value. */
  options: { flags: string[]; description: string; takesValue: boolean }[];
}

/** Walks the program's command tree; every path is listed under each alias of its commands too. */
function walk(command: Command, path: string[] = []): Node[] {
  const node: Node = {
    path,
    description: command.description(),
    subcommands: command.commands.flatMap((c) => [c.name(), ...c.aliases()].map((name) => ({ name, description: c.description() }))),
    options: [
      ...command.options.map((o) => ({ flags: [o.long, o.short].filter((f): f is string => Boolean(f)), description: o.description, takesValue: o.required || o.optional })),
      { flags: ['--help', '-h'], description: 'display help', takesValue: false },
    ],
  };
  return [node, ...command.commands.flatMap((c) => [c.name(), ...c.aliases()].flatMap((name) => walk(c, [...path, name])))];
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * A bash completion script for the program, generated from its command tree so every command
 * and flag, present and future, is covered. Also used by zsh through `bashcompinit`.
 */
export function bashCompletion(program: Command): string {
  const name = program.name();
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const nodes = walk(program);
  const cases = (pick: (n: Node) => string[]) => nodes.map((n) => `    ${quote(n.path.join(' '))}) echo ${quote(pick(n).join(' '))} ;;`).join('\n');
  const valued = [...new Set(nodes.flatMap((n) => n.options.filter((o) => o.takesValue).flatMap((o) => o.flags)))];
  return `# ${name} completion for bash (and zsh via bashcompinit). Generated from the command tree.
# Load it with: source <(${name} completion bash)
${fn}_subcommands() {
  case "$1" in
${cases((n) => n.subcommands.map((s) => s.name))}
  esac
}
${fn}_flags() {
  case "$1" in
${cases((n) => n.options.flatMap((o) => o.flags))}
  esac
}
${fn}() {
  local cur prev word path="" i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in -*) continue ;; esac
    if [[ " $(${fn}_subcommands "$path") " == *" $word "* ]]; then path="\${path:+$path }$word"; fi
  done
  # A flag that takes a value: let the shell complete a file name.
  local valued=${quote(` ${valued.join(' ')} `)}
  if [[ "$prev" == -* && "$valued" == *" $prev "* ]]; then COMPREPLY=(); return; fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(${fn}_flags "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(${fn}_subcommands "$path")" -- "$cur"))
  fi
}
complete -o default -F ${fn} ${name}
`;
}

/** The zsh script: zsh's bash-completion emulation running the bash script. */
export function zshCompletion(program: Command): string {
  return `#compdef ${program.name()}
# ${program.name()} completion for zsh. Load it with: source <(${program.name()} completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program).split('\n').filter((line) => !line.startsWith('#')).join('\n')}`;
}

/** A fish completion script, with each command's and flag's description. */
export function fishCompletion(program: Command): string {
  const name = program.name();
  const lines = [`# ${name} completion for fish. Load it with: ${name} completion fish | source`, `complete -c ${name} -f`];
  for (const node of walk(program)) {
    // Inside `lead send`, both words have been typed; at the top, no sub-command has.
    const at = node.path.length === 0 ? '__fish_use_subcommand' : node.path.map((word) => `__fish_seen_subcommand_from ${word}`).join('; and ');
    const notDeeper = node.subcommands.length > 0 ? `; and not __fish_seen_subcommand_from ${node.subcommands.map((s) => s.name).join(' ')}` : '';
    for (const sub of node.subcommands) lines.push(`complete -c ${name} -n ${quote(at + notDeeper)} -a ${quote(sub.name)} -d ${quote(firstSentence(sub.description))}`);
    if (node.path.length === 0) continue;
    for (const option of node.options) {
      const flags = option.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(' ');
      lines.push(`complete -c ${name} -n ${quote(at)} ${flags}${option.takesValue ? ' -r -F' : ''} -d ${quote(firstSentence(option.description))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function firstSentence(text: string): string {
  return text.split(/(?<=[.:;])\s/)[0]!.slice(0, 80);
}
