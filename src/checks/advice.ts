// What to do about each way a certificate or key can be broken, worded like Go's
// tls.X509KeyPair errors: say what is wrong and the one thing that fixes it.
import type { CertProblem, KeyProblem } from '../pki/types.js';

export const CERT_ADVICE: Record<CertProblem, string> = {
  empty: 'the certificate is empty: supply the PEM certificate chain, leaf first',
  'bad-end-line': 'repair the END line: it must read exactly -----END CERTIFICATE-----',
  'missing-end-line': 'the certificate was cut short: copy it whole, through -----END CERTIFICATE-----',
  'bad-base64': 'the body holds characters that are not base64: export the certificate again',
  'no-newline-between-blocks': 'put a newline between -----END CERTIFICATE----- and the next -----BEGIN CERTIFICATE-----',
  'trailing-garbage': 'remove what follows the last -----END CERTIFICATE----- line',
  'leading-garbage': 'remove what precedes -----BEGIN CERTIFICATE----- (text or indentation)',
  der: 'the certificate is DER, the ingress needs PEM: openssl x509 -inform DER -in cert.der -out cert.pem',
  'double-base64': 'the certificate was base64-encoded twice: decode it once (base64 -d) and store the PEM',
  'private-key-not-certificate': 'a private key sits where the certificate belongs: the cert and key inputs may have been switched',
  'bad-der': 'the certificate data is damaged inside: export it again from its issuer',
  'no-certificate-block': 'there is no -----BEGIN CERTIFICATE----- block: supply the PEM certificate',
};

export const KEY_ADVICE: Record<KeyProblem, string> = {
  empty: 'the private key is empty: supply the PEM private key of the certificate',
  'bad-end-line': 'repair the END line of the key (e.g. -----END PRIVATE KEY-----)',
  'missing-end-line': 'the key was cut short: copy it whole, through its -----END … PRIVATE KEY----- line',
  'bad-base64': 'the key body holds characters that are not base64: export the key again',
  'trailing-garbage': "remove what follows the key's END line",
  'leading-garbage': "remove what precedes the key's BEGIN line (text or indentation)",
  der: 'the key is DER, the ingress needs PEM: openssl pkey -inform DER -in key.der -out key.pem',
  'double-base64': 'the key was base64-encoded twice: decode it once (base64 -d) and store the PEM',
  'encrypted-pkcs8': 'the key is encrypted and the ingress cannot take a passphrase: openssl pkey -in key.pem -out plain.key (enter the passphrase once)',
  'encrypted-legacy': 'the key is encrypted and the ingress cannot take a passphrase: openssl pkey -in key.pem -out plain.key (enter the passphrase once)',
  openssh: 'this is an OpenSSH key, not a TLS key: supply the PEM private key the certificate was issued for',
  'certificate-not-key': 'a certificate sits where the private key belongs: the cert and key inputs may have been switched',
  'public-key-not-private-key': 'this is a public key: supply the private key',
  'bad-der': 'the key data is damaged inside: export it again',
  'no-key-block': 'there is no -----BEGIN … PRIVATE KEY----- block: supply the PEM private key',
};

/** Problem-specific advice, then how the fix reaches the cluster (when there is one). */
export const withApply = (advice: string, applyFix?: string): string => (applyFix ? `${advice}; then apply it: ${applyFix}` : advice);
