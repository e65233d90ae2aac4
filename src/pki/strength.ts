// Cryptographic weaknesses worth a warning: broken signature hashes, short keys.
import type { ParsedCertificate } from './types.js';

type Judged = Pick<ParsedCertificate, 'signatureAlgorithm' | 'publicKeyType' | 'publicKeyBits' | 'curve'>;

/** Sentences such as 'SHA-1 signature (sha1WithRSAEncryption)'; empty when nothing is weak. */
export function weaknesses(cert: Judged): string[] {
  const found: string[] = [];
  const alg = cert.signatureAlgorithm;
  const lower = alg.toLowerCase();
  if (/md5/.test(lower)) found.push(`MD5 signature (${alg})`);
  else if (/md[24]/.test(lower)) found.push(`${lower.includes('md2') ? 'MD2' : 'MD4'} signature (${alg})`);
  else if (/sha-?1(?!\d)/.test(lower)) found.push(`SHA-1 signature (${alg})`);
  if ((cert.publicKeyType === 'rsa' || cert.publicKeyType === 'rsa-pss') && cert.publicKeyBits !== undefined && cert.publicKeyBits < 2048) {
    found.push(`RSA key of ${cert.publicKeyBits} bits (under 2048)`);
  }
  if (cert.publicKeyType === 'dsa') found.push('DSA key (no longer accepted by browsers)');
  const curveBits = cert.curve ? Number(/(\d{3})/.exec(cert.curve)?.[1]) : NaN;
  if (cert.publicKeyType === 'ec' && curveBits < 256) found.push(`EC key on ${cert.curve} (under 256 bits)`);
  return found;
}
