// Parses argv with yargs and returns the chosen command, or null when help or the version was
// printed. Every parse problem becomes one UsageError (exit 2).
import yargs from 'yargs';
import { shownValue } from '../apigee/names.js';
import { UsageError } from '../errors.js';
import { registerCommands, type ParsedCommand } from './commands.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

/** yargs quotes a string value as JSON ("x"); the value itself is what the user typed. */
function unquoted(given: string): string {
  try {
    const v: unknown = JSON.parse(given);
    return typeof v === 'string' ? v : given;
  } catch {
    return given;
  }
}

/** yargs' own messages can span lines; the contract promises one clear line. */
export function oneLine(message: string): string {
  const choice = /^Invalid values:\s*Argument: ([\w-]+), Given: (.+?), Choices: (.+)$/s.exec(message.trim());
  // The value typed is quoted back only when it could not be a pasted secret.
  if (choice) return `invalid --${choice[1]} ${shownValue(unquoted(choice[2]!.trim()))}: choose ${choice[3]!.replace(/\s+/g, ' ').trim()}`;
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

export async function parseCommandLine(argv: string[], program: string): Promise<ParsedCommand | null> {
  let selected: ParsedCommand | null = null;
  const parser = yargs(argv)
    .scriptName(program)
    .usage(`${program} <command> [flags]\n\nFind why API calls to an Apigee hybrid ingress fail with TLS errors.`)
    .strict()
    .demandCommand(1, 'a command is required')
    .recommendCommands()
    .exitProcess(false)
    .showHelpOnFail(false)
    .fail((message, error) => {
      throw new UsageError(oneLine(message ?? error?.message ?? 'invalid arguments'));
    })
    .help('help')
    .alias('help', 'h')
    .version(VERSION)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 healthy, 1 a cause was found, 2 usage error, 3 could not complete.');
  registerCommands(parser, (p) => {
    selected = p;
  });
  await parser.parseAsync();
  return selected;
}
