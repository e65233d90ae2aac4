// probe: what the gateway really serves, certificate by certificate, with the fingerprints that
// tell one certificate from another.
import { kubectlCommand, type KubectlScope } from '../cmdline/kubectl.js';
import type { ParsedCertificate } from '../pki/types.js';
import { defineCheck, type Verdict } from './check.js';
import { describeCertificate } from './evidence.js';
import { sClientCommand } from './handshake.js';

export const servedChain = defineCheck({
  id: 'served-chain',
  description: 'what the server sent, certificate by certificate, with their fingerprints',
  causes: [],
  needs: ['certificates', 'handshake'],
  run: ({ certificates, handshake }) => servedChainVerdict(certificates, [sClientCommand(handshake.observation)]),
});

export const servedCertificate = defineCheck({
  id: 'served-certificate',
  description: "with --envgroup: the gateway serves the leaf of the env group's secret",
  causes: ['served-certificate-differs'],
  needs: ['certificates', 'handshake', 'servedSecret'],
  optional: true,
  run: ({ certificates, handshake, servedSecret }, ctx) =>
    'unavailable' in servedSecret
      ? servedSecret.unavailable
      : servedCertificateVerdict(certificates[0]!, servedSecret.leaf, servedSecret.label, [sClientCommand(handshake.observation)], ctx.scope),
});

function servedChainVerdict(certs: readonly ParsedCertificate[], commands: string[]): Verdict {
  return {
    status: 'pass',
    cause: null,
    summary: `the server sent ${certs.length} certificate${certs.length === 1 ? '' : 's'}; leaf "${certs[0]?.subject ?? 'none'}"`,
    evidence: certs.flatMap((c) => [describeCertificate(c), `   sha256 fingerprint ${c.fingerprint256}`]),
    commands,
  };
}

/** With --envgroup: a gateway still serving an old certificate is a real case after a rotation. */
function servedCertificateVerdict(
  served: ParsedCertificate,
  secretLeaf: ParsedCertificate,
  secretLabel: string,
  commands: string[],
  scope: KubectlScope = { namespace: 'apigee' },
): Verdict {
  if (served.fingerprint256 === secretLeaf.fingerprint256) {
    return {
      status: 'pass',
      cause: null,
      summary: `the gateway serves the leaf of ${secretLabel}`,
      evidence: [`sha256 fingerprint ${served.fingerprint256}`],
      commands,
    };
  }
  return {
    status: 'fail',
    cause: 'served-certificate-differs',
    summary: `the gateway serves "${served.subject}", not the leaf of ${secretLabel} ("${secretLeaf.subject}")`,
    evidence: [
      `served: sha256 ${served.fingerprint256}, valid until ${served.notAfter.toISOString()}`,
      `secret: sha256 ${secretLeaf.fingerprint256}, valid until ${secretLeaf.notAfter.toISOString()}`,
    ],
    commands,
    remediation: `the ingress has not picked up the secret: check the route config and the ingress gateway logs, then restart the ingress gateway pods (${kubectlCommand(scope, ['rollout', 'restart', 'deployment', '-l', 'app=apigee-ingressgateway'])})`,
  };
}
