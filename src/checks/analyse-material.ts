// Turns the material's bytes into facts (pki/), once, for every check to read.
import { analyseCertificate, analyseChain, analysePrivateKey, findCertificateForKey } from '../pki/index.js';
import type { CertificateAnalysis, ChainAnalysis, KeyAnalysis, ParsedCertificate } from '../pki/types.js';
import type { PemSource, TlsMaterial } from './tls-material.js';

export interface MaterialAnalysis {
  cert: CertificateAnalysis | null;
  key: KeyAnalysis | null;
  ca: CertificateAnalysis | null;
  /** Present when the certificate parsed. */
  chain?: ChainAnalysis;
  /** Index of the certificate the key belongs to (-1: none), when both parsed. */
  keyBelongsTo?: number;
}

const undecodable = () => ({
  ok: false as const,
  problem: 'bad-base64' as const,
  detail: 'The Secret holds this value in a form that is not valid base64, so the ingress cannot decode it.',
  notes: [],
});

const certificateOf = (source: PemSource): CertificateAnalysis => (source.undecodable ? undecodable() : analyseCertificate(source.bytes));
const keyOf = (source: PemSource): KeyAnalysis => (source.undecodable ? undecodable() : analysePrivateKey(source.bytes));

export function analyseMaterial(material: TlsMaterial): MaterialAnalysis {
  const cert = material.cert ? certificateOf(material.cert) : null;
  const key = material.key ? keyOf(material.key) : null;
  const ca = material.ca ? certificateOf(material.ca) : null;
  const analysis: MaterialAnalysis = { cert, key, ca };
  if (cert?.ok) {
    const anchors: ParsedCertificate[] = ca?.ok ? ca.certificates : [];
    analysis.chain = analyseChain(cert.certificates, anchors, true);
    if (key?.ok) analysis.keyBelongsTo = findCertificateForKey(key.key, cert.certificates);
  }
  return analysis;
}
