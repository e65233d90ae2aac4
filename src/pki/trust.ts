// Does a served chain verify to the trust anchors in force, the way a client builds its path:
// from the leaf, each issuer taken from the served certificates (in any order) until one is an
// anchor or is issued by one. What a client reports when it does not: the issuer it could not
// find (curl: "unable to get local issuer certificate"), or a self-signed certificate it does
// not trust ("self-signed certificate [in certificate chain]"). Dates are not judged here
// (validity does that).
import type { X509Certificate } from 'node:crypto';
import { oneLineName } from './certificate.js';
import { issuedBy } from './chain.js';
import type { ParsedCertificate } from './types.js';

export type TrustVerdict =
  | { trusted: true; path: string[]; anchor: string }
  | { trusted: false; reason: 'issuer-not-found'; path: string[]; missingIssuer: string }
  | { trusted: false; reason: 'untrusted-self-signed'; path: string[]; root: string; depth: number };

/** Anchors indexed by subject, the only ones that can have issued a certificate with that issuer. */
export type AnchorIndex = ReadonlyMap<string, readonly X509Certificate[]>;

export function indexAnchors(anchors: readonly X509Certificate[]): AnchorIndex {
  const bySubject = new Map<string, X509Certificate[]>();
  for (const a of anchors) bySubject.set(a.subject, [...(bySubject.get(a.subject) ?? []), a]);
  return bySubject;
}

const MAX_DEPTH = 10;

export function verifyServedChain(served: readonly ParsedCertificate[], anchors: AnchorIndex): TrustVerdict {
  const path: string[] = [];
  const used = new Set<number>();
  let current = served[0]!.x509;
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    path.push(oneLineName(current.subject));
    const sameAsAnchor = (anchors.get(current.subject) ?? []).find((a) => a.fingerprint256 === current.fingerprint256);
    if (sameAsAnchor) return { trusted: true, path, anchor: oneLineName(sameAsAnchor.subject) };
    const anchor = (anchors.get(current.issuer) ?? []).find((a) => issuedBy(current, a));
    if (anchor) return { trusted: true, path, anchor: oneLineName(anchor.subject) };
    if (issuedBy(current, current)) return { trusted: false, reason: 'untrusted-self-signed', path, root: oneLineName(current.subject), depth };
    const next = served.findIndex((c, i) => i !== 0 && !used.has(i) && issuedBy(current, c.x509));
    if (next === -1) return { trusted: false, reason: 'issuer-not-found', path, missingIssuer: oneLineName(current.issuer) };
    used.add(next);
    current = served[next]!.x509;
  }
  return { trusted: false, reason: 'issuer-not-found', path, missingIssuer: oneLineName(current.issuer) };
}
