// Clients reject SHA-1/MD5 signatures and short RSA keys even when everything else is right.
import { weaknesses } from '../pki/index.js';
import type { ParsedCertificate } from '../pki/types.js';
import { withApply } from './advice.js';
import { opensslOn } from '../cmdline/pem-source.js';
import type { PemSource } from '../evidence/material.js';
import { defineCheck, type Verdict } from './check.js';
import { curveName } from '../pki/curve.js';

/**
 * Not a weakness: gateways built on Envoy before 1.33 load only P-256 ECDSA server certificates
 * (reference/apigee.md §12.5), so the operator knows which line to look for.
 */
function curveNote(leaf: ParsedCertificate): string[] {
  const curve = leaf.publicKeyType === 'ec' ? curveName(leaf.curve) : undefined;
  if (curve !== 'P-384' && curve !== 'P-521') return [];
  return [
    `the leaf's key is ECDSA ${curve}: gateways built on Envoy before 1.33 (most hybrid releases) refuse it and log "only P-256 ECDSA certificates are supported"`,
  ];
}

export const strength = defineCheck({
  id: 'strength',
  description: 'no SHA-1 or MD5 signature and no RSA key under 2048 bits in the chain',
  causes: ['weak-certificate'],
  needs: ['certSource', 'certificates'],
  run: ({ certSource, certificates }, ctx) => strengthVerdict(certSource, certificates, ctx.applyFix),
});

function strengthVerdict(source: PemSource, certs: readonly ParsedCertificate[], applyFix?: string): Verdict {
  const commands = [`${opensslOn(source, ['x509', '-noout', '-text'])} | grep -E 'Signature Algorithm|Public-Key'`];
  // A self-signed root's own signature is never checked by clients, so it does not count.
  const weak = certs.flatMap((c) => (c.selfIssued && c.index > 0 ? [] : weaknesses(c).map((w) => `#${c.index} "${c.subject}": ${w}`)));
  if (weak.length === 0) {
    const leaf = certs[0]!;
    const size = leaf.publicKeyBits ? ` ${leaf.publicKeyBits}-bit` : leaf.curve ? ` ${leaf.curve}` : '';
    return {
      status: 'pass',
      cause: null,
      summary: `${leaf.signatureAlgorithm} signature, ${leaf.publicKeyType.toUpperCase()}${size} key`,
      evidence: curveNote(leaf),
      commands,
    };
  }
  return {
    status: 'warn',
    cause: 'weak-certificate',
    summary: `weak certificate: ${weak[0]}`,
    evidence: weak,
    commands,
    remediation: withApply('reissue with a SHA-256 (or stronger) signature and an RSA key of at least 2048 bits, or an EC key', applyFix),
  };
}
