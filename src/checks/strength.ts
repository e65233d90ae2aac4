// Clients reject SHA-1/MD5 signatures and short RSA keys even when everything else is right.
import { weaknesses } from '../pki/index.js';
import type { ParsedCertificate } from '../pki/types.js';
import type { Finding } from '../report/finding.js';
import { withApply } from './advice.js';
import { opensslOn, type CheckContext, type PemSource } from './tls-material.js';

export function strengthFinding(source: PemSource, certs: readonly ParsedCertificate[], ctx: CheckContext): Finding {
  const commands = [`${opensslOn(source, ['x509', '-noout', '-text'])} | grep -E 'Signature Algorithm|Public-Key'`];
  // A self-signed root's own signature is never checked by clients, so it does not count.
  const weak = certs.flatMap((c) => (c.selfIssued && c.index > 0 ? [] : weaknesses(c).map((w) => `#${c.index} "${c.subject}": ${w}`)));
  if (weak.length === 0) {
    const leaf = certs[0]!;
    const size = leaf.publicKeyBits ? ` ${leaf.publicKeyBits}-bit` : leaf.curve ? ` ${leaf.curve}` : '';
    return {
      check: 'strength',
      status: 'pass',
      cause: null,
      summary: `${leaf.signatureAlgorithm} signature, ${leaf.publicKeyType.toUpperCase()}${size} key`,
      evidence: [],
      commands,
    };
  }
  return {
    check: 'strength',
    status: 'warn',
    cause: 'weak-certificate',
    summary: `weak certificate: ${weak[0]}`,
    evidence: weak,
    commands,
    remediation: withApply('reissue with a SHA-256 (or stronger) signature and an RSA key of at least 2048 bits, or an EC key', ctx.applyFix),
  };
}
