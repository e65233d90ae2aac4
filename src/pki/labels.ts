// PEM block types. A label is input text, so people only ever see it through this whitelist.

const DESCRIPTIONS: Record<string, string> = {
  CERTIFICATE: 'a CERTIFICATE',
  'TRUSTED CERTIFICATE': "a TRUSTED CERTIFICATE (OpenSSL's own trust format)",
  'X509 CERTIFICATE': 'an X509 CERTIFICATE (an old label)',
  'CERTIFICATE REQUEST': 'a CERTIFICATE REQUEST (a CSR, not a certificate)',
  'NEW CERTIFICATE REQUEST': 'a NEW CERTIFICATE REQUEST (a CSR, not a certificate)',
  'X509 CRL': 'an X509 CRL (a revocation list)',
  PKCS7: 'a PKCS7 bundle',
  CMS: 'a CMS message',
  'PUBLIC KEY': 'a PUBLIC KEY',
  'RSA PUBLIC KEY': 'an RSA PUBLIC KEY',
  'PRIVATE KEY': 'a PRIVATE KEY',
  'RSA PRIVATE KEY': 'an RSA PRIVATE KEY',
  'EC PRIVATE KEY': 'an EC PRIVATE KEY',
  'DSA PRIVATE KEY': 'a DSA PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY': 'an ENCRYPTED PRIVATE KEY',
  'OPENSSH PRIVATE KEY': 'an OPENSSH PRIVATE KEY',
  'EC PARAMETERS': 'EC PARAMETERS',
  'DH PARAMETERS': 'DH PARAMETERS',
};

/** "a CERTIFICATE REQUEST (…)" for known labels, a neutral phrase for anything else. */
export function describeLabel(label: string): string {
  return DESCRIPTIONS[label] ?? 'a block of an unrecognised type';
}

/** Go's crypto/tls takes any block whose type ends in PRIVATE KEY as the key; so do we. */
export function isPrivateKeyLabel(label: string): boolean {
  return label === 'PRIVATE KEY' || label.endsWith(' PRIVATE KEY');
}

export function isPublicKeyLabel(label: string): boolean {
  return label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY';
}

export function isCertificateLabel(label: string): boolean {
  return label === 'CERTIFICATE' || label === 'TRUSTED CERTIFICATE' || label === 'X509 CERTIFICATE';
}
