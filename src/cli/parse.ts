// Parses argv with yargs and returns the chosen command, or null when help or the version was
// printed. Every parse problem becomes one UsageError (exit 2) worded as kubectl words it.
import yargs, { type Argv } from 'yargs';
import { closestFirst } from '../apigee/closest-names.js';
import { shownValue } from '../apigee/names.js';
import { UsageError } from '../errors.js';
import { hasAttachedShort, kubectlForms } from './argv.js';
import { COMMANDS, type Args, type CommandName, type ParsedCommand } from './commands.js';
import { flagsOf, valueShortFlags } from './flags.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const COMMAND_NAMES = COMMANDS.map((c) => c.name);

export const commandOf = (argv: readonly string[]): CommandName | undefined => COMMAND_NAMES.find((n) => n === argv[0]);

/** Where a usage error sends the user: the command's own help when there is a command. */
export function helpCommand(argv: readonly string[], program: string): string {
  const command = commandOf(argv[0] === 'help' ? argv.slice(1) : argv);
  return command ? `${program} ${command} --help` : `${program} --help`;
}

const didYouMean = (word: string, candidates: readonly string[]): string => {
  const [best] = closestFirst(word, candidates);
  return best ? ` (did you mean ${best}?)` : '';
};

/** The argument as the user typed it (with its dashes), for the key yargs reports. */
function typedForm(key: string, argv: readonly string[]): string {
  const typed = argv.find((a) => a.replace(/^-+/, '').split('=')[0] === key);
  return typed ? typed.split('=')[0]! : key;
}

/** yargs quotes a string value as JSON ("x"); the value itself is what the user typed. */
function unquoted(given: string): string {
  try {
    const v: unknown = JSON.parse(given);
    return typeof v === 'string' ? v : given;
  } catch {
    return given;
  }
}

/** yargs' own messages, in kubectl's words, on one line. */
export function usageMessage(message: string, argv: readonly string[]): string {
  const text = message.trim();
  const choice = /^Invalid values:\s*Argument: ([\w-]+), Given: (.+?), Choices: (.+)$/s.exec(text);
  // The value typed is quoted back only when it could not be a pasted secret.
  if (choice) return `invalid --${choice[1]} ${shownValue(unquoted(choice[2]!.trim()))}: choose ${choice[3]!.replace(/\s+/g, ' ').trim()}`;
  const unknown = /^Unknown arguments?: (.+)$/s.exec(text);
  if (unknown) {
    const flags = flagsOf(commandOf(argv) ?? '')?.names ?? [];
    const words = unknown[1]!.split(', ').map((key) => typedForm(key, argv));
    const first = words[0]!;
    if (!first.startsWith('-')) return `unexpected argument ${shownValue(first)}`;
    return `unknown flag: ${shownValue(first).replace(/^"(.*)"$/, '$1')}${didYouMean(first, flags)}`;
  }
  const needsValue = /^Not enough arguments following: (.+)$/.exec(text);
  if (needsValue) return `flag needs an argument: ${typedForm(needsValue[1]!, argv)}`;
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Every command on the parser; each flag that takes a value must get one (kubectl's rule). */
function registerCommands(y: Argv, select: (p: ParsedCommand) => void): Argv {
  for (const spec of COMMANDS) {
    y.command(
      spec.usage,
      spec.describe,
      (c) => spec.builder(c).requiresArg([...(flagsOf(spec.name)?.takesValue.keys() ?? [])]),
      (args: unknown) => select({ command: spec.name, args: args as Args }),
    );
  }
  return y;
}

/**
 * yargs renders the whole help text after running a command's handler (usage.cacheHelpMessage), in
 * case the handler asks for help later; ours never do, and the rendering is most of a parse's time.
 * Help that is asked for (--help, help) is rendered when it is shown, as before.
 */
function withoutHelpCaching(parser: Argv): Argv {
  const internal = parser as unknown as { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } };
  internal.getInternalMethods().getUsageInstance().cacheHelpMessage = () => undefined;
  return parser;
}

export async function parseCommandLine(rawArgv: string[], program: string): Promise<ParsedCommand | null> {
  // Reading every command's flags costs a yargs instance each: only when a word needs them.
  const argv = kubectlForms(rawArgv, hasAttachedShort(rawArgv) ? valueShortFlags() : new Set());
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && !commandOf(argv))
    throw new UsageError(`unknown command ${shownValue(first)} for "${program}"${didYouMean(first, [...COMMAND_NAMES, 'help'])}`);
  let selected: ParsedCommand | null = null;
  const parser = yargs(argv)
    .scriptName(program)
    .usage(`${program} <command> [flags]\n\nFind why API calls to an Apigee hybrid ingress fail with TLS errors.`)
    .strict()
    .demandCommand(1, 'a command is required')
    .exitProcess(false)
    .showHelpOnFail(false)
    .fail((message, error) => {
      throw new UsageError(usageMessage(message ?? error?.message ?? 'invalid arguments', argv));
    })
    .help('help')
    .alias('help', 'h')
    .version(VERSION)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 healthy, 1 a cause was found, 2 usage error, 3 could not complete.');
  registerCommands(withoutHelpCaching(parser), (p) => {
    selected = p;
  });
  await parser.parseAsync();
  return selected;
}
