// serve's one line per run on stderr: when, how long, and per context its env groups and
// result counts (or why it could not be diagnosed).
import type { Result } from '../report/finding.js';
import type { ContextRun } from './state.js';

const count = (run: ContextRun, result: Result): number => run.items.filter((d) => d.target.envgroup && d.result === result).length;

function contextPart(run: ContextRun): string {
  const took = `${(run.ms / 1000).toFixed(1)}s`;
  if (run.failure) return `${run.context}: failed (${run.failure}) in ${took}`;
  const groups = run.items.filter((d) => d.target.envgroup).length;
  return `${run.context}: ${groups} env groups, ${count(run, 'healthy')} healthy, ${count(run, 'problems-found')} problems-found, ${count(run, 'incomplete')} incomplete in ${took}`;
}

export function runLogLine(at: Date, runs: readonly ContextRun[], ms: number): string {
  return `${at.toISOString()} run finished in ${(ms / 1000).toFixed(1)}s: ${runs.map(contextPart).join('; ')}`;
}
