// Playbook cause 1, step 1: read the apigee-watcher logs. The lines themselves are ingress-secret's
// evidence; this check says whether they could be read at all, so a silent log is not mistaken for
// a clean one.
import type { ClusterEvidence } from '../evidence/cluster.js';
import { accessErrorVerdict } from './access-error.js';
import { defineCheck, type Verdict } from './check.js';

export const watcherLogs = defineCheck({
  id: 'watcher-logs',
  description: "apigee-watcher's logs could be read (the playbook's step 1), so that a silent log is not mistaken for a clean one",
  causes: [],
  needs: ['cluster'],
  run: ({ cluster }) => watcherLogsVerdict(cluster),
});

function watcherLogsVerdict(e: ClusterEvidence): Verdict {
  const w = e.watcher;
  if (w.state === 'absent') return { status: 'skip', cause: null, summary: w.why, evidence: [], commands: [] };
  if (w.state === 'error') return accessErrorVerdict(`pods in namespace "${e.namespace}"`, w.failure, e.namespace);
  const { sources, failures, lines, command, since, noPods } = w.value;
  if (noPods) {
    return {
      status: 'skip',
      cause: null,
      summary: `no apigee-watcher pod in namespace "${e.namespace}" (label app=apigee-watcher, or a name starting apigee-watcher-)`,
      evidence: [],
      commands: [],
    };
  }
  // A stream cut short (the deadline, Ctrl-C, kubectl's own timeout) may have stopped before the
  // line that matters: the logs were not read, whatever the other streams said.
  const cut = failures.find((f) => f.kind === 'canceled' || f.kind === 'timeout');
  if (cut) return accessErrorVerdict('the apigee-watcher logs to the end (the stream was cut short)', cut, e.namespace);
  if (failures.length > 0 && sources.length === 0) return accessErrorVerdict('the apigee-watcher logs', failures[0]!, e.namespace);
  const reported = lines.length === 0 ? 'none reports' : `${lines.length} line${lines.length === 1 ? '' : 's'} report${lines.length === 1 ? 's' : ''}`;
  return {
    status: 'pass',
    cause: null,
    summary: `read the apigee-watcher logs of the last ${since}: ${reported} secret "${e.resolution.secret.name}" missing`,
    evidence: [...sources.map((s) => `read ${s}`), ...failures.map((f) => `could not read: ${f.message}`)],
    commands: [command],
  };
}
