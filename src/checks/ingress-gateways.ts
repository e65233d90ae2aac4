// The gateways' Envoy loads the secret istiod pushes and says when it refuses it; its lines name no
// secret, so a line counts for an env group only from a gateway its selector picks, and fails only
// when it states a defect this secret has (reference/apigee.md §7.3, §12.5). Else it is a warning.
import { causeEntry } from '../causes/catalog.js';
import type { ClusterEvidence } from '../evidence/cluster.js';
import type { IngressLogEvidence } from '../evidence/ingress.js';
import type { LogLine } from '../evidence/log-line.js';
import { matchLine } from '../signatures/index.js';
import { defineCheck, type Given, type Verdict } from './check.js';
import { byWrite, historyEvidence, quoted, readEvidence, unreadable } from './ingress-source.js';
import { curveName } from '../pki/curve.js';

const WHERE = 'label app=apigee-ingressgateway, or a name starting apigee-ingressgateway-';

type Inputs = Given<'cluster' | 'ingressLogs'>;

export const ingressGateways = defineCheck({
  id: 'ingress-gateways',
  description: "the gateways that serve the env group logged no rejection of a secret since the env group's secret was last written",
  causes: ['ingress-rejected-secret'],
  needs: ['cluster', 'ingressLogs'],
  run: (inputs) => gatewaysVerdict(inputs.cluster, inputs.ingressLogs, inputs),
});

/** The defect of this secret a rejection line states, if it states one. */
export function defectShown(line: LogLine, inputs: Inputs): string | null {
  const matches = matchLine(line.text);
  const ids = new Set(matches.map((m) => m.id));
  const causes = new Set(matches.flatMap((m) => m.causes));
  const leaf = inputs.certificates?.[inputs.leafIndex ?? 0];
  const curve = leaf?.publicKeyType === 'ec' ? curveName(leaf.curve) : undefined;
  if (ids.has('envoy-only-p256-ecdsa') && curve && curve !== 'P-256') return `the leaf's key is ECDSA ${curve}`;
  // Envoy pairs the key with the first certificate: a chain out of order fails as a mismatch too (reference/apigee.md §7.3).
  if (causes.has('key-mismatch') && inputs.keyBelongsTo !== undefined && inputs.keyBelongsTo !== 0)
    return inputs.keyBelongsTo > 0
      ? "the secret's key belongs to certificate #" + inputs.keyBelongsTo + ', not the first (the chain is out of order)'
      : "the secret's key does not belong to its leaf certificate";
  if (causes.has('malformed-certificate') && inputs.certAnalysis && !inputs.certAnalysis.ok) return "the secret's certificate does not parse";
  if (causes.has('malformed-private-key') && inputs.keyAnalysis && !inputs.keyAnalysis.ok) return "the secret's key does not parse";
  return null;
}

/** What to change in the secret, by the defect the gateway's line states. */
function fixFor(defect: string, applyFix: string): string {
  if (defect.startsWith("the leaf's key is ECDSA"))
    return `reissue the certificate with a P-256 ECDSA or an RSA key (the gateway's Envoy, before 1.33, loads only P-256 ECDSA), then apply it: ${applyFix}`;
  return `fix what the line names in the secret, then apply it (${applyFix}); the gateway reloads it by itself`;
}

function gatewaysVerdict(e: ClusterEvidence, logs: IngressLogEvidence, inputs: Inputs): Verdict {
  const cannot = unreadable(logs.gateways, 'ingress gateway', WHERE, e.namespace);
  if (cannot || logs.gateways.state !== 'ok') return cannot!;
  const g = logs.gateways.value;
  const serving = g.serving ?? [];
  if (serving.length === 0)
    return {
      status: 'skip',
      cause: null,
      summary: "no ingress gateway pod matches the env group's selector: no gateway log to read",
      evidence: [],
      commands: [g.command],
    };
  const { current, history } = byWrite(g.lines, logs.secretWrittenAt);
  const tied = current.map((line) => ({ line, defect: defectShown(line, inputs) })).filter((t) => t.defect !== null);
  const commands = [g.command];
  const read = readEvidence(g);
  if (tied.length > 0) {
    const latest = tied[tied.length - 1]!;
    return {
      status: 'fail',
      cause: 'ingress-rejected-secret',
      summary: `gateway ${latest.line.pod} rejects the secret: ${latest.defect}`,
      evidence: [...quoted(tied.map((t) => t.line)), ...historyEvidence(history, logs.secretWrittenAt), ...read],
      commands,
      remediation: fixFor(latest.defect!, e.applyFix),
    };
  }
  if (current.length > 0) {
    return {
      status: 'warn',
      cause: 'ingress-rejected-secret',
      summary: `a gateway serving the env group (${current[current.length - 1]!.pod}) rejected a secret; its line names none, and no defect of this secret explains it`,
      evidence: [...quoted(current), ...historyEvidence(history, logs.secretWrittenAt), ...read],
      commands,
      remediation: causeEntry('ingress-rejected-secret').fix,
    };
  }
  return {
    status: 'pass',
    cause: null,
    summary: `read the logs of ${serving.length} gateway pod${serving.length === 1 ? '' : 's'} serving the env group (last ${logs.since}): no rejection${history.length ? ' since the secret was last written' : ''}`,
    evidence: [...historyEvidence(history, logs.secretWrittenAt), ...read],
    commands,
  };
}
