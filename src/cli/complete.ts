// Shell completion in Cobra's `__complete` protocol, which kubectl (1.26+) speaks to a plugin's
// kubectl_complete-apigee_tls helper: one candidate per line, then `:<directive>`. Candidates come
// from the same command table that parses the command line, so they cannot drift apart.
import { COMMANDS } from './commands.js';
import { flagsOf } from './flags.js';

/** Cobra's ShellCompDirective bits. */
const DEFAULT = 0; // let the shell complete file names
const NO_FILE = 4;

/** Flags whose value is a path: the shell's own file completion is the right answer. */
const FILE_FLAGS = new Set(['cert', 'key', 'ca', 'overrides', 'out', 'kubeconfig', 'from-curl-log', 'openssl', 'kubectl']);

/** `words` are the arguments after the plugin name; the last is the one being completed (maybe ''). */
export function complete(words: readonly string[]): { candidates: string[]; directive: number } {
  const current = words[words.length - 1] ?? '';
  if (words.length <= 1) return { candidates: COMMANDS.map((c) => c.name).filter((n) => n.startsWith(current)), directive: NO_FILE };
  const flags = flagsOf(words[0]!);
  if (!flags) return { candidates: [], directive: NO_FILE };
  const previous = flags.canonical.get(words[words.length - 2] ?? '');
  if (previous && flags.takesValue.has(previous)) {
    if (FILE_FLAGS.has(previous)) return { candidates: [], directive: DEFAULT };
    const choices = flags.takesValue.get(previous);
    return { candidates: (choices ?? []).filter((c) => c.startsWith(current)), directive: NO_FILE };
  }
  if (current.startsWith('-')) return { candidates: flags.names.filter((n) => n.startsWith(current)), directive: NO_FILE };
  return { candidates: [], directive: NO_FILE };
}

export function completionOutput(words: readonly string[]): string {
  const { candidates, directive } = complete(words);
  return `${[...candidates, `:${directive}`].join('\n')}\n`;
}

/** `completion bash|zsh`: a script that asks the binary itself, through __complete. */
export function completionScript(shell: 'bash' | 'zsh', binary: string): string {
  const fn = `_${binary.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const bash = `${fn}() {
  local cur out directive
  cur="\${COMP_WORDS[COMP_CWORD]}"
  out=$(${binary} __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return
  directive="\${out##*:}"
  out="\${out%:*}"
  COMPREPLY=($(compgen -W "$out" -- "$cur"))
  if [ \${#COMPREPLY[@]} -eq 0 ] && [ $((directive & 4)) -eq 0 ]; then COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -F ${fn} ${binary}
`;
  const header = `# ${shell} completion for ${binary} (kubectl apigee-tls). Load it with: source <(${binary} completion ${shell})\n`;
  return shell === 'bash' ? header + bash : `${header}autoload -U +X bashcompinit && bashcompinit\n${bash}`;
}
