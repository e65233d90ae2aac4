// Shell completion in Cobra's `__complete` protocol, which kubectl (1.26+) speaks to a plugin's
// kubectl_complete-apigee_tls helper: one candidate per line, then `:<directive>`. Candidates come
// from the same command table that parses the command line, so they cannot drift apart.
import { CAUSES } from '../report/finding.js';
import { COMMANDS } from './commands.js';
import { dynamicValues, type DynamicValues } from './complete-values.js';
import { flagsOf } from './flags.js';

/** Cobra's ShellCompDirective bits. */
const DEFAULT = 0; // let the shell complete file names
const NO_FILE = 4;

/** Flags whose value is a path: the shell's own file completion is the right answer. */
const FILE_FLAGS = new Set(['cert', 'key', 'ca', 'overrides', 'out', 'kubeconfig', 'from-curl-log', 'openssl', 'kubectl']);

/** Flags whose values the cluster or the kubeconfig knows. */
const DYNAMIC_FLAGS: Record<string, DynamicValues> = { envgroup: 'envgroup', namespace: 'namespace', context: 'context' };
/** Commands whose first positional is an env group. */
const ENVGROUP_COMMANDS = new Set(['diagnose', 'collect']);

type Completion = { candidates: string[]; directive: number; dynamic?: DynamicValues };

/** `words` are the arguments after the plugin name; the last is the one being completed (maybe ''). */
export function complete(words: readonly string[]): Completion {
  const current = words[words.length - 1] ?? '';
  if (words.length <= 1) return { candidates: COMMANDS.map((c) => c.name).filter((n) => n.startsWith(current)), directive: NO_FILE };
  const flags = flagsOf(words[0]!);
  if (!flags) return { candidates: [], directive: NO_FILE };
  const previous = flags.canonical.get(words[words.length - 2] ?? '');
  if (previous && flags.takesValue.has(previous)) {
    if (FILE_FLAGS.has(previous)) return { candidates: [], directive: DEFAULT };
    if (previous === 'ignore') return { candidates: CAUSES.filter((c) => c.startsWith(current)), directive: NO_FILE };
    const dynamic = DYNAMIC_FLAGS[previous];
    if (dynamic) return { candidates: [], directive: NO_FILE, dynamic };
    const choices = flags.takesValue.get(previous);
    return { candidates: (choices ?? []).filter((c) => c.startsWith(current)), directive: NO_FILE };
  }
  if (current.startsWith('-')) return { candidates: flags.names.filter((n) => n.startsWith(current)), directive: NO_FILE };
  // The env group: the first word after the command that is neither a flag nor a flag's value.
  const positionals = words.slice(1, -1).filter((w, i, all) => !w.startsWith('-') && !flags.takesValue.has(flags.canonical.get(all[i - 1] ?? words[0]!) ?? ''));
  if (ENVGROUP_COMMANDS.has(words[0]!) && positionals.length === 0) return { candidates: [], directive: NO_FILE, dynamic: 'envgroup' };
  return { candidates: [], directive: NO_FILE };
}

export async function completionOutput(words: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { candidates, directive, dynamic } = complete(words);
  const current = words[words.length - 1] ?? '';
  const values = dynamic ? (await dynamicValues(dynamic, words.slice(0, -1), env)).filter((v) => v.startsWith(current)) : candidates;
  return `${[...values, `:${directive}`].join('\n')}\n`;
}

/** `completion bash|zsh|fish`: a script that asks the binary itself, through __complete. */
export function completionScript(shell: 'bash' | 'zsh' | 'fish', binary: string): string {
  const fn = `_${binary.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const header = `# ${shell} completion for ${binary} (kubectl apigee-tls). Load it with: ${shell === 'fish' ? `${binary} completion fish | source` : `source <(${binary} completion ${shell})`}\n`;
  if (shell === 'fish') {
    // The last line is Cobra's `:<directive>`; without its no-file bit (4), offer file names.
    return `${header}function ${fn}
    set -l out (${binary} __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)
    or return
    set -l directive (string replace ':' '' -- $out[-1])
    set -e out[-1]
    if test (count $out) -eq 0; and test (math "$directive % 8 - $directive % 4") -eq 0
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\\n' $out
end
complete -c ${binary} -f -a '(${fn})'
`;
  }
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
  return shell === 'bash' ? header + bash : `${header}autoload -U +X bashcompinit && bashcompinit\n${bash}`;
}
