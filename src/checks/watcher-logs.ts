// Playbook cause 1, step 1: read the apigee-watcher logs. The lines themselves are ingress-secret's
// evidence; this check says whether they could be read at all, so a silent log is not mistaken for
// a clean one.
import type { Finding } from '../report/finding.js';
import { accessErrorFinding } from './access-error.js';
import type { ClusterEvidence } from './cluster-evidence.js';

export function watcherLogsFinding(e: ClusterEvidence): Finding {
  const w = e.watcher;
  if (w.state === 'absent') return { check: 'watcher-logs', status: 'skip', cause: null, summary: w.why, evidence: [], commands: [] };
  if (w.state === 'error') return accessErrorFinding('watcher-logs', `pods in namespace "${e.namespace}"`, w.failure, e.namespace);
  const { sources, failures, lines, command, since, noPods } = w.value;
  if (noPods) {
    return {
      check: 'watcher-logs',
      status: 'skip',
      cause: null,
      summary: `no apigee-watcher pod in namespace "${e.namespace}" (label app=apigee-watcher, or a name starting apigee-watcher-)`,
      evidence: [],
      commands: [],
    };
  }
  if (failures.length > 0 && sources.length === 0) return accessErrorFinding('watcher-logs', 'the apigee-watcher logs', failures[0]!, e.namespace);
  const reported = lines.length === 0 ? 'none reports' : `${lines.length} line${lines.length === 1 ? '' : 's'} report${lines.length === 1 ? 's' : ''}`;
  return {
    check: 'watcher-logs',
    status: 'pass',
    cause: null,
    summary: `read the apigee-watcher logs of the last ${since}: ${reported} secret "${e.resolution.secret.name}" missing`,
    evidence: [...sources.map((s) => `read ${s}`), ...failures.map((f) => `could not read: ${f.message}`)],
    commands: [command],
  };
}
