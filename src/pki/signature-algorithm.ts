// The certificate's signatureAlgorithm, which X509Certificate does not expose in Node 20.
// node-forge cannot build certificate objects from EC or Ed25519 certificates, so only its ASN.1
// layer is used, and only on DER that node:crypto has already accepted as a certificate.
import forge from 'node-forge';

/** Bigger than any sane certificate; beyond it the ASN.1 is not walked at all. */
const MAX_DER_BYTES = 1 << 20;

/** OpenSSL's names (what `openssl x509 -text` prints), for OIDs node-forge lacks or names differently. */
const NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.3': 'md4WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSA',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** A name for a signature algorithm OID: OpenSSL's, else node-forge's, else the dotted OID. */
export function signatureAlgorithmName(oid: string): string {
  const forgeName = (forge.pki.oids as Record<string, string | undefined>)[oid];
  return NAMES[oid] ?? forgeName ?? oid;
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature }.
 * Returns the name of signatureAlgorithm's OID, or 'unknown' when the DER does not have that shape.
 */
export function signatureAlgorithmOf(der: Buffer): string {
  if (der.length === 0 || der.length > MAX_DER_BYTES) return 'unknown';
  try {
    // decodeBitStrings off: the signature's BIT STRING is opaque; nothing inside it is wanted.
    const fromDer = forge.asn1.fromDer as unknown as (bytes: forge.util.ByteBuffer, options: { strict: boolean; decodeBitStrings: boolean }) => forge.asn1.Asn1;
    const cert = fromDer(forge.util.createBuffer(der.toString('binary')), { strict: true, decodeBitStrings: false });
    if (!Array.isArray(cert.value)) return 'unknown';
    const algorithmIdentifier = cert.value[1];
    if (!algorithmIdentifier || !Array.isArray(algorithmIdentifier.value)) return 'unknown';
    const oid = algorithmIdentifier.value[0];
    if (!oid || oid.type !== forge.asn1.Type.OID || typeof oid.value !== 'string') return 'unknown';
    return signatureAlgorithmName(forge.asn1.derToOid(oid.value));
  } catch {
    // forge throws plain Errors (e.g. "Max depth exceeded") on hostile ASN.1; nothing to report.
    return 'unknown';
  }
}
