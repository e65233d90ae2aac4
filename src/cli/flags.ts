// A command's flags as the command table declares them: the one list that completion, the argv
// pre-processing and "did you mean" suggestions read, so none of them can drift from the parser.
import yargs from 'yargs';
import { COMMANDS } from './commands.js';

export interface FlagInfo {
  /** --long and -s forms, in the table's order. */
  names: string[];
  /** canonical name → choices (null: a free value); boolean flags are absent. */
  takesValue: Map<string, readonly string[] | null>;
  /** --long or -s form → canonical name. */
  canonical: Map<string, string>;
}

interface YargsOptions {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  boolean: string[];
  choices: Record<string, string[]>;
}

const dashed = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`);

// Each command's flags are read off a yargs instance of its own: built once per run, not once per use.
const known = new Map<string, FlagInfo | null>();

export function flagsOf(command: string): FlagInfo | null {
  if (!known.has(command)) known.set(command, readFlags(command));
  return known.get(command)!;
}

function readFlags(command: string): FlagInfo | null {
  const spec = COMMANDS.find((c) => c.name === command);
  if (!spec) return null;
  const o = (spec.builder(yargs([])) as unknown as { getOptions(): YargsOptions }).getOptions();
  const info: FlagInfo = { names: [], takesValue: new Map(), canonical: new Map() };
  const aliases = new Set(Object.values(o.alias).flat());
  for (const key of Object.keys(o.key)) {
    if (aliases.has(key) || key === 'version') continue;
    for (const name of [key, ...(o.alias[key] ?? [])]) {
      info.names.push(dashed(name));
      info.canonical.set(dashed(name), key);
    }
    if (!o.boolean.includes(key)) info.takesValue.set(key, o.choices[key] ?? null);
  }
  return info;
}

/** Short flags that take a value (-o, -n) in any command: kubectl lets their value follow attached. */
export function valueShortFlags(): Set<string> {
  const shorts = new Set<string>();
  for (const spec of COMMANDS) {
    const flags = flagsOf(spec.name)!;
    for (const [form, key] of flags.canonical) if (form.length === 2 && flags.takesValue.has(key)) shorts.add(form[1]!);
  }
  return shorts;
}
