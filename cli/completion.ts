/**
 * `genesis completion bash|zsh`: a completion script built from the registered commands, their
 * subcommands (the `a|b|c` after the command name on the first line of HELP) and every `--option`
 * their HELP names, so a newly registered command completes without further work.
 */
export interface Completable {
  readonly HELP: string;
}

export interface CompletionModel {
  readonly commands: ReadonlyArray<{
    name: string;
    subcommands: readonly string[];
    options: readonly string[];
  }>;
  readonly globalOptions: readonly string[];
}

export const GLOBAL_OPTIONS = ['--help', '--json', '--version'] as const;

export function completionModel(commands: Readonly<Record<string, Completable>>): CompletionModel {
  return {
    commands: Object.entries(commands)
      .map(([name, c]) => {
        const words = c.HELP.split('\n')[0].split(/\s+/);
        const subs =
          words[1] === name && /^[a-z][a-z-]*(\|[a-z][a-z-]*)+$/.test(words[2] ?? '')
            ? words[2].split('|')
            : [];
        const options = [
          ...new Set([...(c.HELP.match(/--[a-z][a-z0-9-]*/g) ?? []), '--help', '--json']),
        ].sort();
        return { name, subcommands: subs, options };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    globalOptions: [...GLOBAL_OPTIONS],
  };
}

const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

export function isShell(s: string | undefined): s is Shell {
  return (SHELLS as readonly string[]).includes(s ?? '');
}

function caseArms(model: CompletionModel, indent: string): string {
  return model.commands
    .map((c) => `${indent}${c.name}) words="${[...c.subcommands, ...c.options].join(' ')}" ;;`)
    .join('\n');
}

function bashScript(model: CompletionModel): string {
  const names = model.commands.map((c) => c.name).join(' ');
  return `# bash completion for genesis; load with: source <(npx genesis completion bash)
_genesis_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" words
  if [ "$COMP_CWORD" -eq 1 ]; then
    words="${names} ${model.globalOptions.join(' ')}"
  else
    case "\${COMP_WORDS[1]}" in
${caseArms(model, '      ')}
      *) words="" ;;
    esac
  fi
  if [ -n "$words" ] && { [ "\${cur#-}" != "$cur" ] || [ "$COMP_CWORD" -eq 1 ] || [ "$COMP_CWORD" -eq 2 ]; }; then
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -F _genesis_complete genesis
`;
}

function zshScript(model: CompletionModel): string {
  const names = model.commands.map((c) => c.name).join(' ');
  const arms = model.commands
    .map((c) => `      ${c.name}) candidates=(${[...c.subcommands, ...c.options].join(' ')}) ;;`)
    .join('\n');
  return `#compdef genesis
# zsh completion for genesis; load with: source <(npx genesis completion zsh)
_genesis() {
  local -a candidates
  if (( CURRENT == 2 )); then
    candidates=(${names} ${model.globalOptions.join(' ')})
  else
    case "\${words[2]}" in
${arms}
      *) candidates=() ;;
    esac
  fi
  compadd -a candidates
  _files
}
compdef _genesis genesis
`;
}

export function completionScript(shell: Shell, model: CompletionModel): string {
  return shell === 'bash' ? bashScript(model) : zshScript(model);
}
