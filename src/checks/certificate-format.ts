// Playbook cause 2: the certificate must be a well-formed PEM X.509 chain.
import type { CertificateAnalysis, InputNote } from '../pki/types.js';
import { CERT_ADVICE, withApply } from './advice.js';
import { clause, describeCertificate, opensslEvidence } from './evidence.js';
import { opensslOn } from '../cmdline/pem-source.js';
import type { PemSource } from '../evidence/material.js';
import { mirrorKey, type MirrorOutcome, type MirrorResults } from '../evidence/mirrors.js';
import { defineCheck, type Verdict } from './check.js';

const NOTE_TEXT: Record<InputNote, string> = {
  bom: 'note: starts with a UTF-8 byte-order mark (accepted by openssl and the ingress)',
  crlf: 'note: CRLF line endings (accepted by openssl and the ingress)',
};

export const noteLines = (notes: readonly InputNote[]): string[] => notes.map((n) => NOTE_TEXT[n]);

export function crl2pkcs7Command(source: PemSource): string {
  return source.origin.kind === 'file'
    ? `openssl crl2pkcs7 -nocrl -certfile ${source.origin.path}`
    : `${source.origin.producer} | openssl crl2pkcs7 -nocrl -certfile /dev/stdin`;
}

/**
 * openssl x509 tolerates some damage (it skips a broken block, ignores surrounding text, reads DER):
 * the playbook's check then passes on input the ingress rejects. Say so, with what openssl printed.
 */
function playbookMisses(outcome: MirrorOutcome | undefined): string[] {
  if (!outcome || outcome.exitCode !== 0) return [];
  const subject = /^\s*Subject:\s*(.+)$/m.exec(outcome.stdout)?.[1]?.trim();
  return [`openssl x509 still printed a certificate${subject ? ` (Subject: ${subject})` : ''}: the playbook's check would pass here`];
}

export const certificate = defineCheck({
  id: 'certificate',
  description: "the certificate is a well-formed PEM X.509 chain (the playbook's cause 2)",
  causes: ['malformed-certificate'],
  needs: ['certSource', 'certAnalysis'],
  run: ({ certSource, certAnalysis, mirrors }, ctx) => certificateVerdict(certSource, certAnalysis, mirrors ?? new Map(), ctx.applyFix),
});

function certificateVerdict(source: PemSource, analysis: CertificateAnalysis, mirrors: MirrorResults, applyFix?: string): Verdict {
  const commands = [opensslOn(source, ['x509'], ['-text', '-noout'])];
  if (analysis.ok) {
    const count = analysis.certificates.length;
    return {
      status: 'pass',
      cause: null,
      summary: `${source.label} is a well-formed PEM chain of ${count} certificate${count === 1 ? '' : 's'}`,
      evidence: [...analysis.certificates.map(describeCertificate), ...noteLines(analysis.notes)],
      commands,
    };
  }
  return {
    status: 'fail',
    cause: 'malformed-certificate',
    summary: `${source.label} is not a well-formed PEM certificate: ${clause(analysis.detail)}`,
    evidence: [
      ...(analysis.nodeErrorCode ? [`node:crypto: ${analysis.nodeErrorCode}`] : []),
      ...opensslEvidence(mirrors.get(mirrorKey('cert', 'x509-text'))),
      ...playbookMisses(mirrors.get(mirrorKey('cert', 'x509-text'))),
      ...noteLines(analysis.notes),
    ],
    commands: [...commands, crl2pkcs7Command(source)],
    remediation: withApply(CERT_ADVICE[analysis.problem], applyFix),
  };
}
