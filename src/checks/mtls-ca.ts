// With mutual TLS the ingress validates client certificates against the CA; a missing, malformed
// or expired CA breaks every handshake (Apigee raises AIS_INGRESS_MTLS_CA_CERT_INVALID/EXPIREY).
import { validityState } from '../pki/index.js';
import type { CertificateAnalysis } from '../pki/types.js';
import { CERT_ADVICE, withApply } from './advice.js';
import { clause, isoDate, opensslEvidence } from './evidence.js';
import { opensslOn } from '../cmdline/pem-source.js';
import type { PemSource } from '../evidence/material.js';
import { mirrorKey, type MirrorResults } from '../evidence/mirrors.js';
import { defineCheck, type CheckContext, type Verdict } from './check.js';

const fail = (summary: string, evidence: string[], commands: string[], advice: string, ctx: CheckContext): Verdict => ({
  status: 'fail',
  cause: 'mtls-ca-invalid',
  summary,
  evidence,
  commands,
  remediation: withApply(advice, ctx.applyFix),
});

export const mtlsCa = defineCheck({
  id: 'mtls-ca',
  description: 'with mutual TLS, the CA that verifies client certificates is present, well-formed and valid now',
  causes: ['mtls-ca-invalid'],
  needs: ['mtls'],
  run: ({ mtls, mirrors }, ctx) => mtlsCaVerdict(mtls.required, mtls.source, mtls.analysis, mirrors ?? new Map(), ctx, mtls.searched ?? []),
});

/** Where the CA came from: its second secret is how istiod resolves it (reference/apigee.md §12.3). */
function readFrom(source: PemSource, searched: readonly string[]): string[] {
  if (searched.length < 2 || source.label !== searched[1]) return [];
  return [`read from ${source.label}: ${searched[0]} holds no CA, and istiod resolves the CA of a credential <name> as the secret <name>-cacert`];
}

function mtlsCaVerdict(
  mtls: boolean,
  source: PemSource | null,
  analysis: CertificateAnalysis | null,
  mirrors: MirrorResults,
  ctx: CheckContext,
  searched: readonly string[],
): Verdict {
  if (!mtls) {
    return { status: 'skip', cause: null, summary: 'mutual TLS is not configured', evidence: [], commands: [] };
  }
  if (!source || !analysis) {
    const where = searched.length ? `: looked in ${searched.join(', then ')}` : ' (cacert or ca.crt)';
    return fail(
      `mutual TLS is configured but there is no CA certificate${where}`,
      searched.map((s) => `no CA in ${s}`),
      [],
      'add the CA bundle that issues your client certificates (caCertPath, or the cacert key of the secret)',
      ctx,
    );
  }
  const commands = [opensslOn(source, ['x509'], ['-text', '-noout'])];
  if (!analysis.ok) {
    return fail(
      `the CA certificate ${source.label} is not well-formed: ${clause(analysis.detail)}`,
      [...readFrom(source, searched), ...opensslEvidence(mirrors.get(mirrorKey('ca', 'x509-text')))],
      commands,
      CERT_ADVICE[analysis.problem],
      ctx,
    );
  }
  const expired = analysis.certificates.filter((c) => validityState(c, ctx.now, 0) === 'expired');
  if (expired.length > 0) {
    return fail(
      `the CA certificate "${expired[0]!.subject}" has expired`,
      [...readFrom(source, searched), ...expired.map((c) => `#${c.index} "${c.subject}" expired ${isoDate(c.notAfter)}`)],
      commands,
      "renew the CA certificate and update caCertPath (or the secret's cacert)",
      ctx,
    );
  }
  // A CA that is not valid yet verifies no client certificate either.
  const early = analysis.certificates.filter((c) => validityState(c, ctx.now, 0) === 'not-yet-valid');
  if (early.length > 0) {
    return fail(
      `the CA certificate "${early[0]!.subject}" is not valid yet`,
      early.map((c) => `#${c.index} "${c.subject}" not valid before ${isoDate(c.notBefore)}`),
      commands,
      "check the CA's notBefore and the clocks, or put the CA that issued your client certificates in caCertPath (or the secret's cacert)",
      ctx,
    );
  }
  const names = analysis.certificates.map((c) => `"${c.subject}"`).join(', ');
  return { status: 'pass', cause: null, summary: `the CA bundle ${source.label} holds ${names}`, evidence: readFrom(source, searched), commands };
}
