// The ingress manager (istiod) serves the gateways their certificates from hybrid 1.8; its SDS lines
// name the secret (`kubernetes://<secret>`), so one newer than the secret's last write says the
// gateway cannot have it (reference/apigee.md §12.5).
import { causeEntry } from '../causes/catalog.js';
import type { ClusterEvidence } from '../evidence/cluster.js';
import type { IngressLogEvidence } from '../evidence/ingress.js';
import type { LogLine } from '../evidence/log-line.js';
import { matchLine } from '../signatures/index.js';
import { defineCheck, type Verdict } from './check.js';
import { byWrite, historyEvidence, quoted, readEvidence, unreadable } from './ingress-source.js';

const WHERE = 'label app=apigee-ingressgateway-manager or app=apigee-istiod, or a name starting apigee-ingressgateway-manager-';

export const ingressManager = defineCheck({
  id: 'ingress-manager',
  description: "the ingress manager (istiod) logged no failure to load the env group's secret since it was last written",
  causes: ['ingress-rejected-secret'],
  needs: ['cluster', 'ingressLogs'],
  run: ({ cluster, ingressLogs }) => managerVerdict(cluster, ingressLogs),
});

/** istiod names the credential in ordinary lines too (its SDS pushes): only its documented failures count. */
const isFailure = (l: LogLine): boolean => matchLine(l.text).some((m) => m.tool === 'istiod');

function managerVerdict(e: ClusterEvidence, logs: IngressLogEvidence): Verdict {
  const cannot = unreadable(logs.manager, 'apigee-ingressgateway-manager', WHERE, e.namespace);
  if (cannot || logs.manager.state !== 'ok') return cannot!;
  const m = logs.manager.value;
  const secret = e.resolution.secret.name;
  const { current, history } = byWrite(m.lines.filter(isFailure), logs.secretWrittenAt);
  if (current.length > 0) {
    return {
      status: 'fail',
      cause: 'ingress-rejected-secret',
      summary: `the ingress manager cannot load secret "${secret}": ${current[current.length - 1]!.text.replace(/^.*?(failed to fetch|invalid certificates)/, '$1')}`,
      evidence: [...quoted(current), ...historyEvidence(history, logs.secretWrittenAt), ...readEvidence(m)],
      commands: [m.command],
      remediation: causeEntry('ingress-rejected-secret').fix,
    };
  }
  return {
    status: 'pass',
    cause: null,
    summary: `read the apigee-ingressgateway-manager logs of the last ${logs.since}: none reports secret "${secret}" unusable${history.length ? ' since it was last written' : ''}`,
    evidence: [...historyEvidence(history, logs.secretWrittenAt), ...readEvidence(m)],
    commands: [m.command],
  };
}
