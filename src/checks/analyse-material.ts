// Turns the material's bytes into facts (pki/), once, for every check to read.
import { analyseCertificate, analyseChain, analysePrivateKey, findCertificateForKey } from '../pki/index.js';
import type { CertificateAnalysis, ChainAnalysis, KeyAnalysis, ParsedCertificate } from '../pki/types.js';
import type { PemSource, TlsMaterial } from '../evidence/material.js';
import type { MirrorResults } from '../evidence/mirrors.js';
import type { Evidence } from './inputs.js';

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

/**
 * The material as the checks' inputs: each fact present only when the bytes gave it, and for each
 * absent one the reason its checks are skipped.
 */
export function materialEvidence(material: TlsMaterial, analysis: MaterialAnalysis, mirrors: MirrorResults): Evidence {
  const e: Evidence = { inputs: { mirrors, hostnames: material.hostnames }, absent: {} };
  const { inputs, absent } = e;
  if (material.hostnamesUnavailable) inputs.hostnamesUnavailable = material.hostnamesUnavailable;
  inputs.mtls = { required: material.mtls, source: material.ca, analysis: analysis.ca, ...(material.caSearched ? { searched: material.caSearched } : {}) };
  if (material.cert && analysis.cert) Object.assign(inputs, { certSource: material.cert, certAnalysis: analysis.cert });
  if (material.key && analysis.key) Object.assign(inputs, { keySource: material.key, keyAnalysis: analysis.key });
  else absent.keySource = absent.parsedKey = 'no private key given (--key FILE)';
  if (analysis.cert?.ok && analysis.chain) {
    const order = analysis.chain.order;
    // A misordered chain is reported once, by chain-order; the rest is judged on the real leaf.
    const leafIndex = !order.ok && order.reason === 'leaf-not-first' ? order.leafIndex : 0;
    Object.assign(inputs, { certificates: analysis.cert.certificates, chain: analysis.chain, leafIndex });
  } else {
    absent.certificates = absent.chain = absent.leafIndex = 'not checked: the certificate did not parse';
  }
  if (analysis.key?.ok) {
    inputs.parsedKey = analysis.key;
    if (analysis.keyBelongsTo !== undefined) inputs.keyBelongsTo = analysis.keyBelongsTo;
  } else if (analysis.key) {
    absent.parsedKey = 'not checked: the private key did not parse';
  }
  return e;
}
