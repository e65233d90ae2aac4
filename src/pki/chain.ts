// Chain order (leaf first, each certificate issued by the next) and completeness (the chain
// reaches a self-signed certificate or one issued by a known root).
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { ChainAnalysis, ChainOrder, ParsedCertificate } from './types.js';

/** Node's bundled Mozilla roots, by subject; parsed on first use only (about 140 certificates). */
let bundledRoots: Map<string, X509Certificate[]> | undefined;

function bundledRootsBySubject(): Map<string, X509Certificate[]> {
  if (!bundledRoots) {
    const bySubject = new Map<string, X509Certificate[]>();
    for (const pem of rootCertificates) {
      try {
        const root = new X509Certificate(pem);
        const same = bySubject.get(root.subject);
        if (same) same.push(root);
        else bySubject.set(root.subject, [root]);
      } catch {
        // A root this OpenSSL cannot read cannot anchor anything.
      }
    }
    bundledRoots = bySubject;
  }
  return bundledRoots;
}

/** `child` names `parent` as issuer (names, key identifiers, key usage) and parent's key verifies it. */
export function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

export function chainOrder(certs: readonly ParsedCertificate[]): ChainOrder {
  const first = certs[0];
  if (first?.isCA) {
    const leafIndex = certs.findIndex((c) => !c.isCA);
    if (leafIndex > 0) return { ok: false, reason: 'leaf-not-first', leafIndex };
  }
  for (let i = 0; i + 1 < certs.length; i++) {
    if (!issuedBy((certs[i] as ParsedCertificate).x509, (certs[i + 1] as ParsedCertificate).x509)) {
      return { ok: false, reason: 'not-signed-by-next', index: i };
    }
  }
  return { ok: true };
}

/**
 * `extraAnchors`: roots the user vouches for (--ca, the secret's CA); `useBundledRoots`: also
 * Node's bundled roots. A leaf + intermediate chain that ends below a known root is complete.
 */
export function analyseChain(certs: readonly ParsedCertificate[], extraAnchors: readonly ParsedCertificate[], useBundledRoots: boolean): ChainAnalysis {
  const last = certs[certs.length - 1];
  if (!last) return { order: { ok: true }, complete: false, lastSubject: '', lastIssuer: '' };
  const analysis: ChainAnalysis = {
    order: chainOrder(certs),
    complete: false,
    lastSubject: last.subject,
    lastIssuer: last.issuer,
  };
  if (last.selfIssued) {
    analysis.complete = true;
    analysis.anchoredBy = last.subject;
    return analysis;
  }
  // An anchor may also be the last certificate itself (a private CA's intermediate given as --ca).
  const anchor = extraAnchors.find((a) => a.fingerprint256 === last.fingerprint256) ?? extraAnchors.find((a) => issuedBy(last.x509, a.x509));
  if (anchor) {
    analysis.complete = true;
    analysis.anchoredBy = anchor.subject;
    return analysis;
  }
  if (useBundledRoots) {
    // Only roots whose subject is the last certificate's issuer can have issued it.
    const root = (bundledRootsBySubject().get(last.x509.issuer) ?? []).find((r) => issuedBy(last.x509, r));
    if (root) {
      analysis.complete = true;
      analysis.anchoredBy = root.subject
        .split('\n')
        .filter((p) => p !== '')
        .join(', ');
    }
  }
  return analysis;
}
