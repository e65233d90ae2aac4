// With mutual TLS the ingress validates client certificates against the CA; a missing, malformed
// or expired CA breaks every handshake (Apigee raises AIS_INGRESS_MTLS_CA_CERT_INVALID/EXPIREY).
import { validityState } from '../pki/index.js';
import type { CertificateAnalysis } from '../pki/types.js';
import type { Finding } from '../report/finding.js';
import { CERT_ADVICE, withApply } from './advice.js';
import { clause, isoDate, opensslEvidence } from './evidence.js';
import { mirrorKey, type MirrorResults } from './mirrors.js';
import { opensslOn, type CheckContext, type PemSource } from './tls-material.js';

const fail = (summary: string, evidence: string[], commands: string[], advice: string, ctx: CheckContext): Finding => ({
  check: 'mtls-ca',
  status: 'fail',
  cause: 'mtls-ca-invalid',
  summary,
  evidence,
  commands,
  remediation: withApply(advice, ctx.applyFix),
});

export function mtlsCaFinding(
  mtls: boolean,
  source: PemSource | null,
  analysis: CertificateAnalysis | null,
  mirrors: MirrorResults,
  ctx: CheckContext,
): Finding {
  if (!mtls) {
    return { check: 'mtls-ca', status: 'skip', cause: null, summary: 'mutual TLS is not configured', evidence: [], commands: [] };
  }
  if (!source || !analysis) {
    return fail(
      'mutual TLS is configured but there is no CA certificate (cacert or ca.crt)',
      [],
      [],
      'add the CA bundle that issues your client certificates (caCertPath, or the cacert key of the secret)',
      ctx,
    );
  }
  const commands = [opensslOn(source, ['x509'], ['-text', '-noout'])];
  if (!analysis.ok) {
    return fail(
      `the CA certificate ${source.label} is not well-formed: ${clause(analysis.detail)}`,
      [...opensslEvidence(mirrors.get(mirrorKey('ca', 'x509-text')))],
      commands,
      CERT_ADVICE[analysis.problem],
      ctx,
    );
  }
  const expired = analysis.certificates.filter((c) => validityState(c, ctx.now, 0) === 'expired');
  if (expired.length > 0) {
    return fail(
      `the CA certificate "${expired[0]!.subject}" has expired`,
      expired.map((c) => `#${c.index} "${c.subject}" expired ${isoDate(c.notAfter)}`),
      commands,
      "renew the CA certificate and update caCertPath (or the secret's cacert)",
      ctx,
    );
  }
  const names = analysis.certificates.map((c) => `"${c.subject}"`).join(', ');
  return { check: 'mtls-ca', status: 'pass', cause: null, summary: `the CA bundle ${source.label} holds ${names}`, evidence: [], commands };
}
