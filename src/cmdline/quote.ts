// How a command reads when a person types it into bash: the `commands` and `--verbose` lines.

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one argument the way a person would type it in bash. */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (SAFE_WORD.test(arg)) return arg;
  // `jsonpath='{.data.cert}'`, as the playbook writes it: quote the value, not the key.
  const assignment = /^(-{0,2}[A-Za-z0-9_.-]+=)(.+)$/s.exec(arg);
  if (assignment) return `${assignment[1]}${quoteWord(assignment[2]!)}`;
  return quoteWord(arg);
}

const quoteWord = (word: string): string => (SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

export function displayCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map(shellQuote).join(' ');
}
