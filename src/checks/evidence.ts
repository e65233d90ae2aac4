// Evidence lines shared by several checks: how a certificate is described, and what openssl printed.
import type { ParsedCertificate } from '../pki/types.js';
import { matchLine, normaliseLine } from '../signatures/index.js';
import type { MirrorOutcome } from '../evidence/mirrors.js';

export const isoDate = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

export function describeCertificate(c: ParsedCertificate): string {
  const sans = [...c.sans.dns, ...c.sans.ip];
  const sanText = sans.length ? `, SANs ${sans.join(' ')}` : ', no SANs';
  return `#${c.index} subject "${c.subject}", issuer "${c.issuer}"${sanText}, valid ${isoDate(c.notBefore)} to ${isoDate(c.notAfter)}`;
}

const OPENSSL_LINES = 4;

/** What one mirrored openssl command printed, with each line's known signature named. */
export function opensslEvidence(outcome: MirrorOutcome | undefined): string[] {
  if (!outcome) return [];
  if (outcome.opensslMissing) return [`openssl not found (use --openssl PATH); not run: ${outcome.display}`];
  const lines = outcome.stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0);
  const named = lines.filter((l) => matchLine(l).length > 0);
  const shown = (named.length ? named : lines).slice(0, OPENSSL_LINES).map((l) => {
    const ids = matchLine(l).map((m) => m.id);
    return `  ${normaliseLine(l)}${ids.length ? `  (${ids.join(', ')})` : ''}`;
  });
  const firstOut = outcome.stdout.split('\n')[0]?.trim();
  const head = `$ ${outcome.display}  → exit ${outcome.exitCode ?? 'none'}${outcome.exitCode === 0 && firstOut ? `: ${firstOut}` : ''}`;
  return [head, ...shown];
}

/** pki/ details are sentences; inside a summary they follow a colon. */
export const clause = (sentence: string): string => sentence.charAt(0).toLowerCase() + sentence.slice(1).replace(/\.$/, '');
