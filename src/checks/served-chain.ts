// probe: what the gateway really serves, certificate by certificate, with the fingerprints that
// tell one certificate from another.
import type { ParsedCertificate } from '../pki/types.js';
import type { Finding } from '../report/finding.js';
import { describeCertificate } from './evidence.js';

export function servedChainFinding(certs: readonly ParsedCertificate[], commands: string[]): Finding {
  return {
    check: 'served-chain',
    status: 'pass',
    cause: null,
    summary: `the server sent ${certs.length} certificate${certs.length === 1 ? '' : 's'}; leaf "${certs[0]?.subject ?? 'none'}"`,
    evidence: certs.flatMap((c) => [describeCertificate(c), `   sha256 fingerprint ${c.fingerprint256}`]),
    commands,
  };
}

/** With --envgroup: a gateway still serving an old certificate is a real case after a rotation. */
export function servedCertificateFinding(served: ParsedCertificate, secretLeaf: ParsedCertificate, secretLabel: string, commands: string[]): Finding {
  if (served.fingerprint256 === secretLeaf.fingerprint256) {
    return {
      check: 'served-certificate',
      status: 'pass',
      cause: null,
      summary: `the gateway serves the leaf of ${secretLabel}`,
      evidence: [`sha256 fingerprint ${served.fingerprint256}`],
      commands,
    };
  }
  return {
    check: 'served-certificate',
    status: 'fail',
    cause: 'served-certificate-differs',
    summary: `the gateway serves "${served.subject}", not the leaf of ${secretLabel} ("${secretLeaf.subject}")`,
    evidence: [
      `served: sha256 ${served.fingerprint256}, valid until ${served.notAfter.toISOString()}`,
      `secret: sha256 ${secretLeaf.fingerprint256}, valid until ${secretLeaf.notAfter.toISOString()}`,
    ],
    commands,
    remediation:
      'the ingress has not picked up the secret: check the route config and the ingress gateway logs, then restart the ingress gateway pods (kubectl -n apigee rollout restart deployment -l app=apigee-ingressgateway)',
  };
}
