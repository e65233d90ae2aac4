// What every process run shares within one command: the tools found, the whole-run deadline,
// and the list of what was run (for `--verbose` and the report).
import type { Invocation } from './invocation.js';
import type { Slots } from './slots.js';

export interface ExecContext {
  kubectl: string;
  openssl: string;
  /** Aborted when the whole-run deadline passes or the user presses Ctrl-C. */
  signal: AbortSignal;
  /** Called before each process starts, with its display form (for `--verbose`). */
  onStart?: (display: string) => void;
  invocations: Invocation[];
  /** stdout bytes held by the processes running now, against the run's total cap. */
  buffered: number;
  /** Each tool's absolute path (null: not found), resolved once per run. */
  resolved: Map<string, string | null>;
  /** When set, processes wait for a slot (many contexts at once share one bound). */
  slots?: Slots;
  /** Starts that wait for something first (a log stream's pipe): settled once those processes run. */
  starting: Set<Promise<unknown>>;
}

/** Resolves once every process asked for so far has started (or failed to): then heavy work may block the thread. */
export const allStarted = async (ctx: ExecContext): Promise<void> => {
  await Promise.allSettled([...ctx.starting]);
};

export function newExecContext(options: {
  kubectl?: string;
  openssl?: string;
  signal?: AbortSignal;
  onStart?: (display: string) => void;
  slots?: Slots;
}): ExecContext {
  return {
    ...(options.slots ? { slots: options.slots } : {}),
    kubectl: options.kubectl ?? 'kubectl',
    openssl: options.openssl ?? 'openssl',
    signal: options.signal ?? new AbortController().signal,
    onStart: options.onStart,
    invocations: [],
    buffered: 0,
    resolved: new Map(),
    starting: new Set(),
  };
}
