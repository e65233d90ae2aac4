// pki/: pure analysis of certificate and key bytes. No I/O, no clock, no logging; never throws.
export * from './types.js';
export { analyseCertificate, describeCertificate, oneLineName } from './certificate.js';
export { analysePrivateKey } from './key.js';
export { keyMatchesCertificate, findCertificateForKey } from './match.js';
export { analyseChain, chainOrder, issuedBy } from './chain.js';
export { validityState, daysLeft } from './validity.js';
export { hostnameCovered, ipKey } from './hostname.js';
export { weaknesses } from './strength.js';
export { parseSubjectAltName } from './san.js';
export { signatureAlgorithmOf, signatureAlgorithmName } from './signature-algorithm.js';
export { prepareInput, scanPem, canonicalPem, MAX_BLOCKS } from './pem.js';
export type { InputShape, PemBlock, PemProblem, PemProblemKind, PemScan, PreparedInput } from './pem.js';
export { indexAnchors, verifyServedChain, type AnchorIndex, type TrustVerdict } from './trust.js';
