// When a secret check already found the cause (e.g. key-mismatch), the ingress's own line saying so
// is its proof: the lines newer than the secret's last write whose signature points to that cause
// are added to that finding's evidence (reference/apigee.md §12.5).
import type { IngressLogEvidence } from '../evidence/ingress.js';
import { quoteLine, type LogLine } from '../evidence/log-line.js';
import type { Finding } from '../report/finding.js';
import { matchLine } from '../signatures/index.js';
import { byWrite } from './ingress-source.js';

function currentLines(logs: IngressLogEvidence): LogLine[] {
  const of = (o: IngressLogEvidence['manager']) => (o.state === 'ok' ? o.value.lines : []);
  return byWrite([...of(logs.manager), ...of(logs.gateways)], logs.secretWrittenAt).current;
}

export function withIngressLines(findings: readonly Finding[], logs: IngressLogEvidence | undefined): Finding[] {
  const lines = logs ? currentLines(logs) : [];
  if (lines.length === 0) return [...findings];
  const causesOf = lines.map((l) => ({ line: l, causes: new Set(matchLine(l.text).flatMap((m) => m.causes)) }));
  return findings.map((f) => {
    if (f.status !== 'fail' || !f.cause || f.cause === 'ingress-rejected-secret') return f;
    const said = causesOf.filter((c) => c.causes.has(f.cause!)).slice(0, 3);
    return said.length ? { ...f, evidence: [...f.evidence, ...said.map((s) => `the ingress logged: ${quoteLine(s.line)}`)] } : f;
  });
}
