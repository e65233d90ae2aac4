// The record of one process run. It never holds stdout: stdout may carry secret data (a Secret
// read with -o json), so callers get it next to the record, never inside it.

export type InvocationFailure = 'not-found' | 'timeout' | 'canceled' | 'spawn-error' | 'output-limit';

export interface Invocation {
  /** The command as a person would type it, secrets elided. */
  display: string;
  /** null when the process never ran or was killed. */
  exitCode: number | null;
  stderr: string;
  ms: number;
  failure?: InvocationFailure;
  /** With failure 'canceled': what stopped it. */
  canceledBy?: 'deadline' | 'interrupt';
}

export interface RunResult {
  record: Invocation;
  stdout: string;
}

export const succeeded = (r: Invocation): boolean => r.exitCode === 0 && r.failure === undefined;

/** The run's deadline aborts with a TimeoutError; Ctrl-C and SIGTERM with a plain abort. */
export const cancelCause = (signal: AbortSignal): 'deadline' | 'interrupt' =>
  (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError' ? 'deadline' : 'interrupt';
