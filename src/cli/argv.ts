// kubectl's flag forms, rewritten into the forms yargs parses, in this one place: an attached short
// value (-ojson, -napigee, -o=json), kubectl's log level (-v=6, --v=6, -v 6: any level turns on
// --verbose), and `help <command>`. Everything after `--` is left alone.

const LEVEL = /^\d+$/;
/** -ojson, -o=json: a short flag with its value attached. */
const ATTACHED_SHORT = /^-([A-Za-z])(=?)(.+)$/;

/** Whether any word could be a short flag with an attached value (only then are the flags read to tell). */
export const hasAttachedShort = (argv: readonly string[]): boolean => argv.some((a) => ATTACHED_SHORT.test(a));

function rewriteOne(arg: string, next: string | undefined, valueShorts: ReadonlySet<string>): { out: string[]; used: number } {
  const level = /^--?v(?:=(.*))?$/.exec(arg);
  if (level) {
    if (level[1] !== undefined) return { out: ['--verbose'], used: 1 };
    // kubectl's -v always takes a level; ours may stand alone, so only a number is consumed.
    return { out: ['--verbose'], used: next !== undefined && LEVEL.test(next) ? 2 : 1 };
  }
  if (/^-v\d+$/.test(arg)) return { out: ['--verbose'], used: 1 };
  const short = ATTACHED_SHORT.exec(arg);
  if (short && valueShorts.has(short[1]!)) return { out: [`-${short[1]}`, short[3]!], used: 1 };
  return { out: [arg], used: 1 };
}

export function kubectlForms(argv: readonly string[], valueShorts: ReadonlySet<string>): string[] {
  const words = argv[0] === 'help' ? (argv.length > 1 ? [argv[1]!, '--help', ...argv.slice(2)] : ['--help']) : [...argv];
  const out: string[] = [];
  for (let i = 0; i < words.length;) {
    if (words[i] === '--') {
      out.push(...words.slice(i));
      break;
    }
    const { out: rewritten, used } = rewriteOne(words[i]!, words[i + 1], valueShorts);
    out.push(...rewritten);
    i += used;
  }
  return out;
}
