// Expiry is invisible to the playbook's parse checks: openssl parses an expired certificate fine.
import type { ParsedCertificate } from '../pki/types.js';
import { daysLeft, validityState } from '../pki/index.js';
import type { CauseId } from '../causes/catalog.js';
import { withApply } from './advice.js';
import { causeStatus } from './verdict.js';
import { isoDate } from './evidence.js';
import { opensslOn } from '../cmdline/pem-source.js';
import type { PemSource } from '../evidence/material.js';
import { defineCheck, type CheckContext, type Verdict } from './check.js';

type State = ReturnType<typeof validityState>;

/** Worst first; each cause's status comes from the catalog. */
const SEVERITY: Array<{ state: State; cause: CauseId }> = [
  { state: 'expired', cause: 'certificate-expired' },
  { state: 'not-yet-valid', cause: 'certificate-not-yet-valid' },
  { state: 'expiring-soon', cause: 'certificate-expiring-soon' },
];

function stateLine(c: ParsedCertificate, state: State, now: Date): string {
  const days = daysLeft(c, now);
  const daysAgo = Math.floor((now.getTime() - c.notAfter.getTime()) / 86_400_000);
  const when =
    state === 'expired'
      ? `expired ${isoDate(c.notAfter)} (${daysAgo} days ago)`
      : state === 'not-yet-valid'
        ? `not valid before ${isoDate(c.notBefore)}`
        : `expires ${isoDate(c.notAfter)} (in ${days} days)`;
  return `#${c.index} "${c.subject}" ${when}`;
}

export const validity = defineCheck({
  id: 'validity',
  description: 'every certificate of the chain is valid now, and none expires within --expiry-warning',
  causes: ['certificate-expired', 'certificate-not-yet-valid', 'certificate-expiring-soon'],
  needs: ['certSource', 'certificates', 'leafIndex'],
  run: ({ certSource, certificates, leafIndex }, ctx) => validityVerdict(certSource, certificates, leafIndex, ctx),
});

function validityVerdict(source: PemSource, certs: readonly ParsedCertificate[], leafIndex: number, ctx: CheckContext): Verdict {
  const commands = [opensslOn(source, ['x509', '-noout', '-dates', '-checkend', '0'])];
  const states = certs.map((c) => ({ c, state: validityState(c, ctx.now, ctx.expiryWarningMs) }));
  const worst = SEVERITY.find((s) => states.some((x) => x.state === s.state));
  if (!worst) {
    const leaf = certs[leafIndex]!;
    return {
      status: 'pass',
      cause: null,
      summary: `valid now; the leaf expires ${isoDate(leaf.notAfter)} (in ${daysLeft(leaf, ctx.now)} days)`,
      evidence: [],
      commands,
    };
  }
  const hit = states.filter((x) => x.state !== 'valid');
  const first = hit.find((x) => x.state === worst.state)!;
  const which = first.c.index === leafIndex ? 'the leaf certificate' : `chain certificate #${first.c.index}`;
  const verb = worst.state === 'expired' ? 'has expired' : worst.state === 'not-yet-valid' ? 'is not valid yet' : 'expires soon';
  return {
    status: causeStatus(worst.cause),
    cause: worst.cause,
    summary: `${which} "${first.c.subject}" ${verb}`,
    evidence: hit.map((x) => stateLine(x.c, x.state, ctx.now)),
    commands,
    remediation: withApply(
      worst.state === 'not-yet-valid'
        ? 'check the clock of the machine that issued it, or wait until it is valid; serve the previous certificate meanwhile'
        : 'renew the certificate and replace it',
      ctx.applyFix,
    ),
  };
}
