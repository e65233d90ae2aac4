// Every hostname of the env group must be covered by the leaf's SANs (RFC 6125; CN is not used,
// as no current client uses it).
import { hostnameCovered } from '../pki/index.js';
import type { ParsedCertificate } from '../pki/types.js';
import type { Finding } from '../report/finding.js';
import type { KubectlFailure } from '../exec/kubectl-errors.js';
import { accessErrorFinding } from './access-error.js';
import { withApply } from './advice.js';
import { opensslOn, type CheckContext, type PemSource } from './tls-material.js';

export function hostnamesFinding(
  source: PemSource,
  leaf: ParsedCertificate,
  hostnames: readonly string[],
  ctx: CheckContext,
  unavailable?: { failure: KubectlFailure; namespace: string },
): Finding {
  const commands = [opensslOn(source, ['x509', '-noout', '-ext', 'subjectAltName'])];
  const sans = [...leaf.sans.dns.map((d) => `DNS:${d}`), ...leaf.sans.ip.map((i) => `IP:${i}`)];
  // Checking only --host would pass a certificate that misses the routes' names.
  if (unavailable) return accessErrorFinding('hostnames', "the env group's hostnames (ApigeeRoutes)", unavailable.failure, unavailable.namespace);
  if (hostnames.length === 0) {
    return {
      check: 'hostnames',
      status: 'skip',
      cause: null,
      summary: 'no hostnames to check (pass --host NAME)',
      evidence: sans.length ? [`SANs: ${sans.join(', ')}`] : [],
      commands: [],
    };
  }
  const uncovered = hostnames.filter((h) => !hostnameCovered(leaf.sans, h));
  if (uncovered.length === 0) {
    return {
      check: 'hostnames',
      status: 'pass',
      cause: null,
      summary: `the leaf covers ${hostnames.join(', ')}`,
      evidence: [],
      commands,
    };
  }
  return {
    check: 'hostnames',
    status: 'fail',
    cause: 'hostname-not-covered',
    summary: `the leaf "${leaf.subject}" does not cover ${uncovered.join(', ')}`,
    evidence: [
      sans.length ? `SANs: ${sans.join(', ')}` : 'the leaf has no subjectAltName (the CN is ignored by clients)',
      ...uncovered.map((h) => `not covered: ${h}`),
    ],
    commands,
    remediation: withApply(`reissue the certificate with subjectAltName entries for ${uncovered.join(', ')}`, ctx.applyFix),
  };
}
