// The vocabulary of the signature catalog: what a documented error line is, and what a match
// of one against a line of text carries.

import type { CauseId } from '../report/finding.js';

/**
 * The class of problem a signature reports, independent of the tool that printed it.
 * The same kind (e.g. `bad-end-line`) is printed differently by OpenSSL 3, 1.x, LibreSSL and
 * BoringSSL; each spelling is its own catalog entry with this kind.
 */
export type SignatureKind =
  // PEM and DER damage
  | 'no-start-line' // no `-----BEGIN …-----` line where one was expected (empty, DER, double base64, indented)
  | 'bad-end-line' // the END line is wrong or missing (also: no newline between two blocks)
  | 'bad-base64' // the PEM body is not base64
  | 'asn1' // the base64 decodes, but the DER inside is damaged
  | 'unsupported' // OpenSSL 3's decoders found nothing they could decode
  | 'wrong-pem-type' // a PEM block of the wrong type (a key where the certificate belongs, or the reverse)
  | 'load-failed' // a tool's generic "could not load X" line; the next lines or the causes say why
  // keys
  | 'not-rsa' // `openssl rsa` given a non-RSA (e.g. EC) key
  | 'no-modulus' // `openssl x509 -modulus` on a non-RSA certificate: exits 0 with no modulus
  | 'passphrase' // the key is encrypted and a passphrase was asked for or missing
  | 'bad-decrypt' // the key is encrypted and the passphrase was wrong
  | 'key-values-mismatch' // the private key does not belong to the certificate
  | 'diff-differ' // the playbook's `diff` of two modulus outputs reported a difference
  // the TLS handshake, as a client sees it
  | 'handshake-reset' // the server reset the TCP connection
  | 'handshake-alert' // the server sent a fatal TLS alert
  | 'handshake-closed' // the server closed the connection without an alert
  | 'connect-failed' // no TCP connection: refused, unreachable, name not resolved
  | 'timeout' // curl gave up waiting (before or after the TCP connection: the transcript says which)
  | 'not-tls' // the server answered with something that is not TLS (a plain-HTTP port)
  | 'protocol-version' // the server (or the client) refused the protocol version offered
  | 'client-certificate' // the server wanted a client certificate, or refused the one given
  // certificate verification, as a client sees it
  | 'verify-expired'
  | 'verify-not-yet-valid'
  | 'verify-self-signed'
  | 'verify-unknown-ca'
  | 'verify-hostname'
  | 'verify-untrusted' // the chain does not lead to a trusted root (reason not given)
  | 'verify-failed' // verification failed, reason not given
  // Kubernetes secrets, as the Apigee watcher or Istio SDS report them
  | 'secret-not-found'
  | 'secret-keys-empty'
  // the ingress manager (istiod) serving a gateway's secret, and Envoy loading it
  | 'secret-keys-wrong' // the secret holds neither pair of keys the ingress reads
  | 'ca-fetch-failed' // the mTLS CA (`<name>-cacert`) could not be fetched
  | 'invalid-certificate' // istiod's own validation of the certificate failed
  | 'secret-rejected' // Envoy NACKed the secret pushed to it; the reason follows
  | 'curve-unsupported' // Envoy before 1.33 loads only P-256 ECDSA server certificates
  // apigee-watcher updating the env group's routes
  | 'route-update-failed'
  | 'webhook-failed';

/** The program (or library) whose output format the signature documents. */
export type SignatureTool =
  | 'openssl-3'
  | 'openssl-1.1'
  | 'openssl-1.0'
  | 'libressl'
  | 'boringssl'
  | 'go'
  | 'diff'
  | 'curl'
  | 'schannel'
  | 'securetransport'
  | 'node'
  | 'apigee-watcher'
  | 'envoy'
  | 'istiod';

export interface Signature {
  /** Stable kebab-case id: never renamed, so that tests and reports can rely on it. */
  readonly id: string;
  readonly kind: SignatureKind;
  readonly tool: SignatureTool;
  /**
   * Tested against the first MAX_LINE_CHARS characters of a normalised line (see
   * normaliseLine). Never has the `g` or `y` flag (they make `test` stateful), and is written
   * so that it runs in linear time: literal anchors, bounded or negated character classes,
   * no nested quantifiers.
   */
  readonly pattern: RegExp;
  /** One sentence for people. */
  readonly meaning: string;
  /** Where the text comes from: the playbook, an observation, or a URL. */
  readonly source: string;
  /** The CONTRACT cause ids this line points to by itself (possibly none). */
  readonly causes: readonly CauseId[];
  /**
   * For reason lines that do not themselves say which object failed to load (a PEM or ASN.1
   * reason such as `bad end line`): when the line names the object anyway (`Expecting:
   * CERTIFICATE`, `Type=X509`, `Input structure: Certificate`, Envoy's `Failed to load
   * private key`), the match gets malformed-certificate or malformed-private-key.
   */
  readonly causesFromNamedObject?: true;
  /** Printed only by old releases (e.g. Istio's secret fetcher before istiod): kept, since it still identifies old clusters. */
  readonly legacy?: string;
}

/** One catalog entry found in one line of text. */
export interface SignatureMatch {
  readonly id: string;
  readonly kind: SignatureKind;
  readonly tool: SignatureTool;
  readonly causes: readonly CauseId[];
  readonly meaning: string;
  readonly source: string;
  /** The line as given (without its line terminator when it came from matchText). */
  readonly line: string;
  /** 1-based. */
  readonly lineNumber: number;
}
