// Does the private key belong to the certificate? Compares public keys (SPKI DER), which works
// for every key type, unlike the playbook's RSA-only modulus comparison.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { ParsedCertificate } from './types.js';

function spki(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/** True when `key` (private or public) is the key pair of the certificate's public key. */
export function keyMatchesCertificate(key: KeyObject, cert: ParsedCertificate): boolean {
  try {
    return spki(key).equals(cert.x509.publicKey.export({ type: 'spki', format: 'der' }));
  } catch {
    // A key type the certificate's OpenSSL cannot export: it cannot be the same key.
    return false;
  }
}

/** Index in `certs` of the certificate the key belongs to, or -1: "the key matches #2, not the leaf". */
export function findCertificateForKey(key: KeyObject, certs: readonly ParsedCertificate[]): number {
  let mine: Buffer;
  try {
    mine = spki(key);
  } catch {
    return -1;
  }
  return certs.findIndex((cert) => {
    try {
      return mine.equals(cert.x509.publicKey.export({ type: 'spki', format: 'der' }));
    } catch {
      return false;
    }
  });
}
