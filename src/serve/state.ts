// What the exporter knows between runs: per context, the last complete results (kept while a
// later run cannot reach the cluster, so a scrape never sees an org vanish), when its last run
// finished, how long it took, and how many runs failed. Pure: runs come in, values go out.
import type { Diagnosis } from '../report/finding.js';

/** The notAfter of each certificate of an env group's secret, in the secret's order (0 = leaf). */
export interface SecretChain {
  context: string;
  namespace: string;
  envgroup: string;
  secret: string;
  notAfter: readonly Date[];
}

/** One context's run as the loop saw it. */
export interface ContextRun {
  /** The metric label: the context name, or `in-cluster` for the pod's service account. */
  context: string;
  items: Diagnosis[];
  chains: SecretChain[];
  /** Why the context could not be diagnosed at all; the previous results stay. */
  failure?: string;
  finishedAt: Date;
  ms: number;
}

export interface ContextState {
  context: string;
  /** The last run that reached the cluster. */
  complete?: { items: Diagnosis[]; chains: SecretChain[]; finishedAt: Date };
  lastFinishedAt?: Date;
  lastMs?: number;
  errors: number;
}

export type ServeState = ReadonlyMap<string, ContextState>;

export function initialState(contexts: readonly string[]): ServeState {
  return new Map(contexts.map((context) => [context, { context, errors: 0 }]));
}

export function recordRun(state: ServeState, run: ContextRun): ServeState {
  const before = state.get(run.context) ?? { context: run.context, errors: 0 };
  const after: ContextState = {
    ...before,
    lastFinishedAt: run.finishedAt,
    lastMs: run.ms,
    errors: before.errors + (run.failure ? 1 : 0),
  };
  if (!run.failure) after.complete = { items: run.items, chains: run.chains, finishedAt: run.finishedAt };
  return new Map(state).set(run.context, after);
}

/** /healthz: every context's last run finished within two intervals (counted from the start before the first). */
export function isHealthy(state: ServeState, startedAt: Date, now: Date, intervalMs: number): boolean {
  return [...state.values()].every((c) => now.getTime() - (c.lastFinishedAt ?? startedAt).getTime() <= 2 * intervalMs);
}
