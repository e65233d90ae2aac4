import { setMaxListeners } from 'node:events';
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
export function runSignal(io: CommandIO, timeoutMs: number): { signal: AbortSignal; deadlinePassed: () => boolean } {
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([io.interrupt, deadline]);
  // Every child process listens on it: diagnose --all and collect run dozens at once.
  setMaxListeners(1024, signal);
  return { signal, deadlinePassed: () => deadline.aborted && !io.interrupt.aborted };
}
