// Entry point: parse, run the chosen command (loaded on demand), turn every failure into one line
// and the contract's exit code. Nothing here prints a stack trace.
import { helpCommand, parseCommandLine } from './cli/parse.js';
import { programName } from './cli/program-name.js';
import type { CommandName, Args, ParsedCommand } from './cli/commands.js';
import { failureDocument } from './cli/failure-report.js';
import { startProgress } from './cli/progress.js';
import type { CommandIO } from './cli/io.js';
import { IncompleteError, UsageError } from './errors.js';
import { killAllGroups } from './exec/groups.js';
import { EXIT } from './report/result.js';
import { scrubShown } from './report/scrub.js';

/** After the deadline or a signal, how long the run may take to wind down before the process ends itself. */
const WIND_DOWN_MS = 5000;

type Runner = (args: Args, io: CommandIO) => Promise<number>;

const RUNNERS: Record<CommandName, () => Promise<Runner>> = {
  check: async () => (await import('./cli/check.js')).runCheck,
  diagnose: async () => (await import('./cli/diagnose.js')).runDiagnose,
  probe: async () => (await import('./cli/probe.js')).runProbe,
  collect: async () => (await import('./cli/collect.js')).runCollect,
  explain: async () => (await import('./cli/explain.js')).runExplain,
  serve: async () => (await import('./cli/serve.js')).runServe,
  demo: async () => (await import('./cli/demo.js')).runDemo,
  version: async () => (await import('./cli/version.js')).runVersion,
  completion: async () => (await import('./cli/completion.js')).runCompletion,
};

/** One line, no stack, no input bytes: error messages from parsers may quote what they read. */
function internalErrorText(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string') return e.code;
  const first = String(e?.message ?? err).split('\n')[0] ?? '';
  return first.replace(/[A-Za-z0-9+/=]{32,}/g, '…').slice(0, 200);
}

async function main(): Promise<number> {
  const program = programName(process.argv0);
  const interrupt = new AbortController();
  // `on`, not `once`: a listener that removes itself leaves execa's exit handler thinking nobody
  // handles the signal, and it re-raises it, killing us before the children are stopped.
  // The first signal stops the run (every child's group is killed); a second one ends it now.
  const onSignal = (): void => {
    if (!interrupt.signal.aborted) return interrupt.abort();
    killAllGroups();
    process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = process.stderr.isTTY ? startProgress((t) => process.stderr.write(t), process.stderr.columns || 80) : undefined;
  const io: CommandIO = {
    // stdout's reports scrub each of their strings (the text report's colours are ours); stderr's
    // messages pass the scrubber whole: no key material, no control character. Any output first
    // erases the progress line, so that the two never mix.
    stdout: (t) => {
      progress?.stop();
      return process.stdout.write(t);
    },
    stderr: (t) => {
      progress?.stop();
      return process.stderr.write(scrubShown(t));
    },
    ...(progress ? { progress } : {}),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    interrupt: interrupt.signal,
    program,
    now: () => new Date(),
    onRunSignal: (signal) => {
      // A run that outlives its deadline or a signal by this long is ended, whatever holds it.
      const windDown = (): void => {
        setTimeout(() => {
          killAllGroups();
          const why = interrupt.signal.aborted ? 'interrupted' : "the run's deadline passed (--timeout)";
          process.stderr.write(`error: stopped: ${why}; a child process did not let go in time\n`);
          process.exit(interrupt.signal.aborted ? EXIT.interrupted : EXIT.incomplete);
        }, WIND_DOWN_MS).unref();
      };
      if (signal.aborted) windDown();
      else signal.addEventListener('abort', windDown, { once: true });
    },
  };
  const argv = process.argv.slice(2);
  let parsed: ParsedCommand | null = null;
  // With -o json|yaml, a run that could not finish still prints its one document.
  const document = (message: string, hint?: string, check?: string) => {
    const doc = parsed ? failureDocument(parsed, message, hint, check) : null;
    if (doc) io.stdout(doc);
  };
  try {
    // kubectl_complete-apigee_tls calls us as `__complete <words…>`: answer before yargs parses.
    if (argv[0] === '__complete') {
      io.stdout(await (await import('./cli/complete.js')).completionOutput(argv.slice(1), process.env));
      return EXIT.ok;
    }
    parsed = await parseCommandLine(argv, program);
    if (!parsed) return EXIT.ok;
    const run = await RUNNERS[parsed.command]();
    const code = await run(parsed.args, io);
    // serve's way to stop is a signal: SIGTERM ends it cleanly (exit 0).
    return interrupt.signal.aborted && parsed.command !== 'serve' ? EXIT.interrupted : code;
  } catch (err) {
    if (interrupt.signal.aborted) return EXIT.interrupted;
    if (err instanceof UsageError) {
      io.stderr(`error: ${err.message}\nSee '${helpCommand(argv, program)}' for usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof IncompleteError) {
      document(err.message, err.hint, err.check);
      io.stderr(`error: ${err.message}\n${err.hint ? `${err.hint}\n` : ''}`);
      return EXIT.incomplete;
    }
    const message = `internal error (${internalErrorText(err)}); please report it with the output of '${program} version'`;
    document(message);
    io.stderr(`error: ${message}\n`);
    return EXIT.incomplete;
  } finally {
    progress?.stop();
  }
}

/** Done: nothing of ours may outlive the run, and a pipe an escaped grandchild holds must not keep us. */
function finish(code: number): void {
  process.exitCode = code;
  killAllGroups();
  setTimeout(() => process.exit(code), 1000).unref();
}

main().then(finish, () => finish(EXIT.incomplete));
