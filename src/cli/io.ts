import { setMaxListeners } from 'node:events';
import { newExecContext, type ExecContext } from '../exec/context.js';
import type { OutputRequest } from './common.js';
// What a command gets from the process around it; tests and `demo` can supply their own.
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** Aborted when the user presses Ctrl-C. */
  interrupt: AbortSignal;
  program: string;
  now: () => Date;
}

/** The run's cancellation: Ctrl-C or the --timeout deadline, whichever comes first. */
export function runSignal(io: CommandIO, timeoutMs: number): AbortSignal {
  const signal = AbortSignal.any([io.interrupt, AbortSignal.timeout(timeoutMs)]);
  // Every child process listens on it: diagnose --all and collect run dozens at once.
  setMaxListeners(1024, signal);
  return signal;
}

/** What a command's processes share: the tools, the run's signal, and `--verbose` echoing each command. */
export function commandExec(io: CommandIO, output: Pick<OutputRequest, 'openssl' | 'timeoutMs' | 'verbose'>, kubectl?: string): ExecContext {
  return newExecContext({
    kubectl,
    openssl: output.openssl,
    signal: runSignal(io, output.timeoutMs),
    onStart: output.verbose ? (display) => io.stderr(`+ ${display}\n`) : undefined,
  });
}
