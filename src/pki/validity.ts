// Where a certificate stands in time. The clock is an argument: pki/ never reads the time.
import type { ParsedCertificate, ValidityState } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

type Dated = Pick<ParsedCertificate, 'notBefore' | 'notAfter'>;

/**
 * RFC 5280 validity is inclusive at both ends. 'expiring-soon': valid, and notAfter is at most
 * `warnMs` away (warnMs <= 0 turns the warning off).
 */
export function validityState(cert: Dated, now: Date, warnMs: number): ValidityState {
  const t = now.getTime();
  if (t < cert.notBefore.getTime()) return 'not-yet-valid';
  const left = cert.notAfter.getTime() - t;
  if (left < 0) return 'expired';
  if (warnMs > 0 && left <= warnMs) return 'expiring-soon';
  return 'valid';
}

/** Whole days until notAfter, rounded down: 0 on the last day, negative once expired (-1 on the first day after). */
export function daysLeft(cert: Dated, now: Date): number {
  return Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY_MS);
}
