// Does the private key belong to the certificate? Compares public keys, which works for every key
// type, unlike the playbook's RSA-only modulus comparison.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { ParsedCertificate } from './types.js';

/** True when `key` (private or public) is the key pair of the certificate's public key. */
export function keyMatchesCertificate(key: KeyObject, cert: ParsedCertificate): boolean {
  return findCertificateForKey(key, [cert]) === 0;
}

/**
 * Index in `certs` of the certificate the key belongs to, or -1: "the key matches #2, not the leaf".
 * KeyObject.equals compares the keys inside OpenSSL (type, parameters, value), with no DER export
 * of either side: `--all` does this for every env group.
 */
export function findCertificateForKey(key: KeyObject, certs: readonly ParsedCertificate[]): number {
  let mine: KeyObject;
  try {
    mine = key.type === 'public' ? key : createPublicKey(key);
  } catch {
    return -1;
  }
  return certs.findIndex((cert) => {
    try {
      return mine.equals(cert.x509.publicKey);
    } catch {
      // A key type the certificate's OpenSSL cannot compare: it cannot be the same key.
      return false;
    }
  });
}
