// Every hostname of the env group must be covered by the leaf's SANs (RFC 6125; CN is not used,
// as no current client uses it).
import { hostnameCovered } from '../pki/index.js';
import type { ParsedCertificate } from '../pki/types.js';
import type { KubectlFailure } from '../evidence/kubectl-failure.js';
import { accessErrorVerdict } from './access-error.js';
import { withApply } from './advice.js';
import { opensslOn } from '../cmdline/pem-source.js';
import type { PemSource } from '../evidence/material.js';
import { defineCheck, type CheckContext, type Verdict } from './check.js';

export const hostnames = defineCheck({
  id: 'hostnames',
  description: "the leaf's subjectAltNames cover every hostname of the env group (its ApigeeRoutes) and each --host",
  causes: ['hostname-not-covered'],
  needs: ['certSource', 'certificates', 'leafIndex', 'hostnames'],
  run: (i, ctx) => hostnamesVerdict(i.certSource, i.certificates[i.leafIndex]!, i.hostnames, ctx, i.hostnamesUnavailable, i.hostnameSource),
});

function hostnamesVerdict(
  source: PemSource,
  leaf: ParsedCertificate,
  hostnames: readonly string[],
  ctx: CheckContext,
  unavailable?: { failure: KubectlFailure; namespace: string },
  hostnameSource?: string,
): Verdict {
  // Which routes gave the names: a route tied to the wrong route config would judge the wrong names.
  const from = hostnameSource ? [`hostnames from ${hostnameSource}`] : [];
  const commands = [opensslOn(source, ['x509', '-noout', '-ext', 'subjectAltName'])];
  const sans = [...leaf.sans.dns.map((d) => `DNS:${d}`), ...leaf.sans.ip.map((i) => `IP:${i}`)];
  // Checking only --host would pass a certificate that misses the routes' names.
  if (unavailable) return accessErrorVerdict("the env group's hostnames (ApigeeRoutes)", unavailable.failure, unavailable.namespace);
  if (hostnames.length === 0) {
    return {
      status: 'skip',
      cause: null,
      summary: 'no hostnames to check (pass --host NAME)',
      evidence: [...(sans.length ? [`SANs: ${sans.join(', ')}`] : []), ...from],
      commands: [],
    };
  }
  const uncovered = hostnames.filter((h) => !hostnameCovered(leaf.sans, h));
  if (uncovered.length === 0) {
    return {
      status: 'pass',
      cause: null,
      summary: `the leaf covers ${hostnames.join(', ')}`,
      evidence: from,
      commands,
    };
  }
  return {
    status: 'fail',
    cause: 'hostname-not-covered',
    summary: `the leaf "${leaf.subject}" does not cover ${uncovered.join(', ')}`,
    evidence: [
      sans.length ? `SANs: ${sans.join(', ')}` : 'the leaf has no subjectAltName (the CN is ignored by clients)',
      ...uncovered.map((h) => `not covered: ${h}`),
      ...from,
    ],
    commands,
    remediation: withApply(`reissue the certificate with subjectAltName entries for ${uncovered.join(', ')}`, ctx.applyFix),
  };
}
