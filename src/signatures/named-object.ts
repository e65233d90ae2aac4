// Which object (certificate or private key) an OpenSSL-family reason line is about, when the
// line says so. A reason such as `bad end line` is the same for both; OpenSSL sometimes adds
// what it was looking for, and that decides the cause.

import type { CauseId } from '../report/finding.js';

/**
 * `Expecting: CERTIFICATE` / `TRUSTED CERTIFICATE` (1.x `get_name`), `Type=X509` (ASN.1
 * decoder), `Input structure: Certificate` (OpenSSL 3 DECODER), Envoy's `Failed to load
 * certificate chain`. `Type=X509` must not match `Type=X509_CRL` or `Type=X509_REQ`.
 */
const NAMES_CERTIFICATE = /Expecting: (?:TRUSTED |X509 )?CERTIFICATE\b|Type=X509(?:_CINF)?\b|Input structure: Certificate\b|Failed to load certificate chain\b/;

/**
 * `Expecting: ANY PRIVATE KEY` (1.x), ASN.1 types of private keys, Envoy's `Failed to load
 * private key` (its `Cause:` carries the BoringSSL reason on the same line).
 */
const NAMES_PRIVATE_KEY =
  /Expecting: (?:ANY |RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY\b|PEM_read_bio_PrivateKey\b|Type=(?:RSA|EC_PRIVATEKEY|PKCS8_PRIV_KEY_INFO|X509_SIG)\b|Failed to load private key\b/;

/**
 * The cause implied by the object a normalised line names: malformed-certificate,
 * malformed-private-key, or none when the line names neither (or, oddly, both).
 */
export function causesFromNamedObject(normalisedLine: string): CauseId[] {
  const certificate = NAMES_CERTIFICATE.test(normalisedLine);
  const privateKey = NAMES_PRIVATE_KEY.test(normalisedLine);
  if (certificate && !privateKey) return ['malformed-certificate'];
  if (privateKey && !certificate) return ['malformed-private-key'];
  return [];
}
