// What the ingress's log checks share: whether a source could be read at all (a missing or
// forbidden source is a skip or an error naming it, never a verdict), and how its lines are
// quoted, split into the present and the history before the secret's last write.
import type { Observed } from '../evidence/cluster.js';
import { splitByWrite } from '../evidence/ingress.js';
import { quoteLine, type LogLine, type ScannedSource } from '../evidence/log-line.js';
import { accessErrorVerdict } from './access-error.js';
import type { Verdict } from './check.js';

/** A skip or an error when the source gave nothing to judge; null when it was read. */
export function unreadable<T extends ScannedSource>(o: Observed<T>, what: string, whereToFind: string, namespace: string): Verdict | null {
  if (o.state === 'absent') return { status: 'skip', cause: null, summary: o.why, evidence: [], commands: [] };
  if (o.state === 'error') return accessErrorVerdict(`pods in namespace "${namespace}"`, o.failure, namespace);
  const { noPods, failures, sources } = o.value;
  if (noPods) return { status: 'skip', cause: null, summary: `no ${what} pod in namespace "${namespace}" (${whereToFind})`, evidence: [], commands: [] };
  if (failures.length > 0 && sources.length === 0) return accessErrorVerdict(`the ${what} logs`, failures[0]!, namespace);
  return null;
}

export const byWrite = (lines: readonly LogLine[], writtenAt: string | undefined) => splitByWrite(lines, (l) => l.time, writtenAt);

/** How many lines a finding quotes: the newest, so that the line its summary names is among them. */
const QUOTED = 5;

/** Evidence for lines the secret's last write made history: they do not count, but they are shown. */
export function historyEvidence(history: readonly LogLine[], writtenAt: string | undefined): string[] {
  if (history.length === 0) return [];
  return [`rejected before the secret was last written at ${writtenAt}:`, ...history.slice(-QUOTED).map((l) => `  ${quoteLine(l)}`)];
}

export const readEvidence = (s: ScannedSource): string[] => [...s.sources.map((x) => `read ${x}`), ...s.failures.map((f) => `could not read: ${f.message}`)];

export const quoted = (lines: readonly LogLine[]): string[] => lines.slice(-QUOTED).map((l) => quoteLine(l));
