import { setMaxListeners } from 'node:events';
import { newExecContext, type ExecContext } from '../exec/context.js';
import type { OutputRequest } from './common.js';
import type { Progress } from './progress.js';
// What a command gets from the process around it; tests and `demo` can supply their own.
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** The terminal's width when stdout is a terminal: text wraps to it. */
  columns?: number;
  /** Set when stderr is a terminal: commands in flight are shown on it after a second (text output only). */
  progress?: Progress;
  /** Aborted when the user presses Ctrl-C. */
  interrupt: AbortSignal;
  program: string;
  now: () => Date;
  /** Told of each run signal, so the process can end itself if the run outlives it by too long. */
  onRunSignal?: (signal: AbortSignal) => void;
}

/**
 * The run's cancellation: Ctrl-C or the --timeout deadline, whichever comes first. A plain timer
 * and a controller: `AbortSignal.any([…, AbortSignal.timeout()])` holds no strong reference to
 * the timeout signal, and a garbage collection can take it before it fires (nodejs/node#57736).
 */
export function runSignal(io: CommandIO, timeoutMs: number): AbortSignal {
  const controller = new AbortController();
  // Every child process listens on it: diagnose --all and collect run dozens at once.
  setMaxListeners(1024, controller.signal);
  const deadline = setTimeout(() => controller.abort(new DOMException("the run's deadline passed", 'TimeoutError')), timeoutMs);
  // The work keeps the process alive, not the deadline.
  deadline.unref();
  const onInterrupt = (): void => {
    clearTimeout(deadline);
    controller.abort(io.interrupt.reason);
  };
  if (io.interrupt.aborted) onInterrupt();
  else io.interrupt.addEventListener('abort', onInterrupt, { once: true });
  io.onRunSignal?.(controller.signal);
  return controller.signal;
}

/** What a command's processes share: the tools, the run's signal, and `--verbose` echoing each command. */
export function commandExec(io: CommandIO, output: Pick<OutputRequest, 'openssl' | 'timeoutMs' | 'verbose' | 'format'>, kubectl?: string): ExecContext {
  const exec: ExecContext = newExecContext({
    kubectl,
    openssl: output.openssl,
    signal: runSignal(io, output.timeoutMs),
    onStart: output.verbose
      ? (display) => io.stderr(`+ ${display}\n`)
      : io.progress && output.format === 'text'
        ? (display) => io.progress!.update(display, exec.invocations)
        : undefined,
  });
  return exec;
}
