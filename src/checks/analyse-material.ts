// Turns the material's bytes into facts (pki/), once, for every check to read.
import {
  analyseCertificate,
  analyseChain,
  analysePrivateKey,
  findCertificateForKey,
} from '../pki/index.js';
import type { CertificateAnalysis, ChainAnalysis, KeyAnalysis, ParsedCertificate } from '../pki/types.js';
import type { TlsMaterial } from './tls-material.js';

export interface MaterialAnalysis {
  cert: CertificateAnalysis | null;
  key: KeyAnalysis | null;
  ca: CertificateAnalysis | null;
  /** Present when the certificate parsed. */
  chain?: ChainAnalysis;
  /** Index of the certificate the key belongs to (-1: none), when both parsed. */
  keyBelongsTo?: number;
}

export function analyseMaterial(material: TlsMaterial): MaterialAnalysis {
  const cert = material.cert ? analyseCertificate(material.cert.bytes) : null;
  const key = material.key ? analysePrivateKey(material.key.bytes) : null;
  const ca = material.ca ? analyseCertificate(material.ca.bytes) : null;
  const analysis: MaterialAnalysis = { cert, key, ca };
  if (cert?.ok) {
    const anchors: ParsedCertificate[] = ca?.ok ? ca.certificates : [];
    analysis.chain = analyseChain(cert.certificates, anchors, true);
    if (key?.ok) analysis.keyBelongsTo = findCertificateForKey(key.key, cert.certificates);
  }
  return analysis;
}
