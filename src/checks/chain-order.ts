// The leaf must come first and each certificate must be signed by the next: openssl, the
// playbook's commands and the ingress all read only the first certificate as "the" certificate.
import type { ChainAnalysis, ParsedCertificate } from '../pki/types.js';
import { withApply } from './advice.js';
import { crl2pkcs7Command } from './certificate-format.js';
import type { PemSource } from '../evidence/material.js';
import { defineCheck, type Verdict } from './check.js';

const orderCommand = (source: PemSource): string => `${crl2pkcs7Command(source)} | openssl pkcs7 -print_certs -noout`;

const subjectIssuerLines = (certs: readonly ParsedCertificate[]): string[] =>
  certs.map((c) => `#${c.index} subject "${c.subject}" issued by "${c.issuer}"${c.isCA ? ' (CA)' : ''}`);

export const chainOrder = defineCheck({
  id: 'chain-order',
  description: 'the leaf comes first and each certificate is signed by the next one',
  causes: ['chain-order'],
  needs: ['certSource', 'certificates', 'chain'],
  run: ({ certSource, certificates, chain }, ctx) => chainOrderVerdict(certSource, certificates, chain, ctx.applyFix),
});

function chainOrderVerdict(source: PemSource, certs: readonly ParsedCertificate[], chain: ChainAnalysis, applyFix?: string): Verdict {
  const commands = [orderCommand(source)];
  const order = chain.order;
  if (order.ok) {
    return {
      status: 'pass',
      cause: null,
      summary:
        certs.length === 1 ? 'a single certificate (no intermediates to order)' : `leaf first, each of the ${certs.length} certificates signed by the next`,
      evidence: [],
      commands,
    };
  }
  const summary =
    order.reason === 'leaf-not-first'
      ? `the leaf certificate is #${order.leafIndex}, not first: openssl and the ingress read "${certs[0]!.subject}" as the certificate`
      : `certificate #${order.index} "${certs[order.index]!.subject}" is not signed by the next one, #${order.index + 1}`;
  return {
    status: 'fail',
    cause: 'chain-order',
    summary,
    evidence: subjectIssuerLines(certs),
    commands,
    remediation: withApply('order the PEM file leaf first, then each issuer in turn (intermediates; the root may be left out)', applyFix),
  };
}
