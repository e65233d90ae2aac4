// The catalog of documented error signatures: what openssl (3, 1.1, 1.0), LibreSSL, BoringSSL
// and Envoy, Go's crypto/tls, curl, Node, diff and the Apigee watcher print when an ingress
// certificate, key or secret is wrong, or when a TLS handshake fails.
//
// Every entry cites where its text comes from. Most are in /work/shared/reference/signatures.md
// (cited by section) or in the Apigee playbook itself; "observed" means observed with OpenSSL
// 3.0.19 / curl 7.88.1 / Node v20.20.2 on Debian 12, as recorded there.
//
// Order matters in one way only: a line gets at most one match per kind, and the first entry
// of that kind wins (see match.ts). So a specific entry comes before a more general entry of the
// same kind that could match the same line; the general family fallbacks are last.
//
// Match codes and reasons, never whole lines (signatures.md): file names, line numbers of the
// OpenSSL sources and function names vary between builds.

import type { CauseId } from '../report/finding.js';
import type { Signature, SignatureKind, SignatureTool } from './types.js';

const PLAYBOOK = 'Apigee playbook "API calls fail with TLS errors" (PLAYBOOK.md)';
const OBSERVED_OPENSSL_3 = 'observed OpenSSL 3.0.19 (reference/signatures.md §3)';
const OBSERVED_CURL = 'observed curl 7.88.1 / OpenSSL 3.0.19 (reference/signatures.md §1)';
const OBSERVED_NODE = 'observed Node v20.20.2 / OpenSSL 3.0.19 (reference/signatures.md §7)';
const GO_X509_KEY_PAIR = 'golang/go src/crypto/tls/tls.go, X509KeyPair (reference/signatures.md §6)';
const ENVOY_TLS_CERTIFICATE_CONFIG = 'envoyproxy/envoy source/common/ssl/tls_certificate_config_impl.cc (TlsCertificateConfigImpl)';
const OPENSSL_1_FAMILY = 'OpenSSL 1.x error-code layout: library, function, reason (reference/signatures.md §5.3)';
const ISTIOD_SOURCE = 'istio/istio pilot/pkg/xds/sds.go (reference/apigee.md §12.5)';
const OLD_SECRET_FETCHER = "Istio's secret fetcher before istiod: hybrid 1.8+ (istiod 1.12+) never prints it (reference/apigee.md §12.5)";
const WATCHER_PLAYBOOK =
  'Apigee playbook "Apigee serving certificate not found or expired" (https://cloud.google.com/apigee/docs/api-platform/troubleshoot/playbooks/deployment/apigee-serving-cert-not-found-or-expired; reference/apigee.md §12.1)';
const OPENSSL_VERIFY_TEXT = 'OpenSSL X509_verify_cert_error_string texts (crypto/x509/x509_txt.c)';
/** Observed by this project's tests: curl 7.88.1 / OpenSSL 3.0.19 against local servers (test/probe.test.ts). */
const OBSERVED_CURL_PROBE = 'observed curl 7.88.1 / OpenSSL 3.0.19 against openssl s_server and Node servers (test/probe.test.ts)';
const OPENSSL_ALERT_REASONS = 'OpenSSL ssl_err.c reason strings, shared by OpenSSL 1.x, 3 and LibreSSL';
const CURL_CONNECT = 'curl lib/connect.c and lib/hostip.c failure texts';

const MALFORMED_CERTIFICATE: readonly CauseId[] = ['malformed-certificate'];
const MALFORMED_PRIVATE_KEY: readonly CauseId[] = ['malformed-private-key'];
const KEY_MISMATCH: readonly CauseId[] = ['key-mismatch'];
const NO_CAUSE: readonly CauseId[] = [];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * An OpenSSL-family error line: `error:<code>:<library>:<function>:<reason>`. The library and
 * function fields vary (OpenSSL 3 often leaves the function empty: `PEM routines::no start
 * line`), so they are matched loosely; the code and the reason are matched exactly. The
 * negated classes cannot overlap the `:` separators, so matching is linear.
 */
function opensslError(code: string, reason: string): RegExp {
  return new RegExp(`error:${code}:[^:]{0,80}:[^:]{0,80}:${escapeRegExp(reason)}`);
}

interface EntryFields {
  pattern: RegExp;
  meaning: string;
  source: string;
  causes?: readonly CauseId[];
  causesFromNamedObject?: true;
  legacy?: string;
}

function entry(id: string, tool: SignatureTool, kind: SignatureKind, fields: EntryFields): Signature {
  const signature: Signature = {
    id,
    tool,
    kind,
    pattern: fields.pattern,
    meaning: fields.meaning,
    source: fields.source,
    causes: Object.freeze([...(fields.causes ?? NO_CAUSE)]),
    ...(fields.causesFromNamedObject ? { causesFromNamedObject: true as const } : {}),
    ...(fields.legacy ? { legacy: fields.legacy } : {}),
  };
  return Object.freeze(signature);
}

/** A PEM or ASN.1 reason line: the cause depends on which object the line names, if any. */
function reasonEntry(id: string, tool: SignatureTool, kind: SignatureKind, fields: Omit<EntryFields, 'causes' | 'causesFromNamedObject'>): Signature {
  return entry(id, tool, kind, { ...fields, causesFromNamedObject: true });
}

// --- Kubernetes secrets -------------------------------------------------------------------

const SECRETS: Signature[] = [
  entry('apigee-watcher-secret-not-found', 'apigee-watcher', 'secret-not-found', {
    // `\\?"`: the same text inside a JSON log record has its quotes escaped. Only the first
    // part is required: the playbook prints the line wrapped after the secret name.
    pattern: /failed to get secret \\?"[^"\\]{1,253}\\?"/,
    meaning: "The Apigee watcher could not find the env group's TLS secret in the Apigee namespace.",
    source: PLAYBOOK,
    causes: ['missing-ingress-secret'],
  }),
  entry('istio-sds-secret-not-found', 'envoy', 'secret-not-found', {
    pattern: /[Cc]annot find secret [^\s,]{1,253}(?:, searching for fallback secret| and cannot find fallback secret)/,
    meaning: "Istio's secret discovery (older releases) could not find the gateway's TLS secret.",
    source: 'https://github.com/istio/istio/issues/14739 ; https://github.com/istio/istio/issues/33020',
    causes: ['missing-ingress-secret'],
    legacy: OLD_SECRET_FETCHER,
  }),
  entry('istio-sds-cert-or-key-empty', 'envoy', 'secret-keys-empty', {
    pattern: /server cert or private key is empty/,
    meaning: 'The secret exists but holds neither cert+key nor tls.crt+tls.key, so the gateway found no certificate or key in it.',
    source: 'https://github.com/istio/istio/issues/18061',
    causes: ['secret-missing-keys'],
    legacy: OLD_SECRET_FETCHER,
  }),
];

// --- The ingress manager (istiod, container `discovery`): the secrets it serves the gateways ----
// Its lines name the credential `kubernetes://<secret>` (reference/apigee.md §12.5).

const ISTIOD: Signature[] = [
  entry('istiod-secret-not-found', 'istiod', 'secret-not-found', {
    pattern: /failed to fetch key and certificate for kubernetes:\/\/[^\s:]{1,253}: secret [^\s]{1,507} not found/,
    meaning: "The ingress manager cannot serve the gateways the env group's TLS secret: it is not in the namespace.",
    source: ISTIOD_SOURCE,
    causes: ['missing-ingress-secret'],
  }),
  entry('istiod-secret-keys-wrong', 'istiod', 'secret-keys-wrong', {
    pattern: /found secret, but didn't have expected keys \(cert and key\) or \(tls\.crt and tls\.key\)/,
    meaning: 'The secret exists but holds neither cert+key nor tls.crt+tls.key, so the ingress manager has nothing to serve.',
    source: ISTIOD_SOURCE,
    causes: ['secret-missing-keys'],
  }),
  entry('istiod-secret-keys-empty', 'istiod', 'secret-keys-empty', {
    pattern: /found keys "(?:cert|tls\.crt)" and "(?:key|tls\.key)", but they were empty/,
    meaning: 'The secret has the certificate and key entries, but they are empty.',
    source: ISTIOD_SOURCE,
  }),
  entry('istiod-ca-fetch-failed', 'istiod', 'ca-fetch-failed', {
    pattern: /failed to fetch ca certificate for kubernetes:\/\/[^\s:]{1,253}-cacert/,
    meaning: 'The ingress manager cannot serve the mTLS CA: the secret <name>-cacert (key cacert) is missing or unusable.',
    source: `${ISTIOD_SOURCE}; istio/istio pilot/pkg/credentials/kube/secrets.go; https://github.com/istio/istio/issues/60618`,
    causes: ['mtls-ca-invalid'],
  }),
  entry('istiod-invalid-certificate-expired', 'istiod', 'invalid-certificate', {
    pattern: /invalid certificates: [^\n]{0,300}?certificate is expired or not yet valid/,
    meaning: "The ingress manager refuses the secret's certificate: it is expired or not yet valid.",
    source: ISTIOD_SOURCE,
    causes: ['certificate-expired', 'certificate-not-yet-valid'],
  }),
  entry('istiod-invalid-certificate-pem', 'istiod', 'invalid-certificate', {
    pattern: /invalid certificates: [^\n]{0,300}?pem decode failed/,
    meaning: "The ingress manager cannot decode the secret's certificate as PEM.",
    source: ISTIOD_SOURCE,
    causes: MALFORMED_CERTIFICATE,
  }),
];

// --- apigee-watcher updating the env group's ApigeeRoutes (reference/apigee.md §12.1) -------------

const WATCHER_UPDATES: Signature[] = [
  entry('apigee-watcher-webhook-x509', 'apigee-watcher', 'webhook-failed', {
    pattern: /failed calling webhook \\?"[^"\\]{1,253}\\?"[^\n]{0,512}?x509: /,
    meaning: "The Apigee admission webhook's serving certificate is not trusted (e.g. expired), so apigee-watcher cannot update the routes.",
    source: WATCHER_PLAYBOOK,
    causes: ['watcher-update-failed'],
  }),
  entry('apigee-watcher-route-update-failed', 'apigee-watcher', 'route-update-failed', {
    pattern: /failed to update ApigeeRoute [^\s,]{1,253}/,
    meaning: 'apigee-watcher could not update an ApigeeRoute: a corrected secret does not reach the gateway while this lasts.',
    source: WATCHER_PLAYBOOK,
    causes: ['watcher-update-failed'],
  }),
];

// --- Envoy and BoringSSL (the ingress gateway's own log) ------------------------------------

const ENVOY_AND_BORINGSSL: Signature[] = [
  entry('envoy-secret-rejected', 'envoy', 'secret-rejected', {
    pattern: /gRPC config for type\.googleapis\.com\/envoy\.extensions\.transport_sockets\.tls\.v3\.Secret rejected: /,
    meaning: 'The gateway (Envoy) refused the certificate and key the ingress manager pushed to it; the reason follows on the line.',
    source: 'https://github.com/envoyproxy/envoy/issues/17693 ; https://github.com/istio/istio/issues/53497 (reference/apigee.md §12.5)',
  }),
  entry('envoy-only-p256-ecdsa', 'envoy', 'curve-unsupported', {
    pattern: /only P-256 ECDSA certificates are supported/,
    meaning: 'The gateway (Envoy before 1.33) loads only P-256 ECDSA server certificates: a P-384 or P-521 leaf is refused.',
    source: 'envoyproxy/envoy PR #5224 (added), PR #36369 (lifted in 1.33); https://github.com/envoyproxy/gateway/issues/4768 (reference/apigee.md §12.5)',
  }),
  // Before envoy-certificate-chain-load-failed: same kind, and this one is a valid certificate, not a malformed one.
  entry('envoy-certificate-chain-p256-only', 'envoy', 'load-failed', {
    pattern: /Failed to load certificate chain from [^\n]{0,512}?only P-256 ECDSA certificates are supported/,
    meaning: "Envoy parsed the certificate chain but refuses its leaf's curve (only P-256 ECDSA before Envoy 1.33).",
    source: 'https://github.com/envoyproxy/gateway/issues/4768 (reference/apigee.md §12.5)',
  }),
  // Before envoy-incomplete-certificate: same kind, and its text contains that one's.
  entry('envoy-incomplete-certificate-chain-not-set', 'envoy', 'load-failed', {
    pattern: /Failed to load incomplete certificate from [^\n]{0,512}?: certificate chain not set/,
    meaning: 'Envoy was given an empty certificate chain.',
    source: ENVOY_TLS_CERTIFICATE_CONFIG,
    causes: MALFORMED_CERTIFICATE,
  }),
  entry('envoy-incomplete-private-key', 'envoy', 'load-failed', {
    pattern: /Failed to load incomplete private key from path/,
    meaning: 'Envoy was given an empty private key.',
    source: ENVOY_TLS_CERTIFICATE_CONFIG,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('envoy-incomplete-certificate', 'envoy', 'load-failed', {
    pattern: /Failed to load incomplete certificate from /,
    meaning: 'Envoy was given a certificate chain or a private key that is empty (it does not say which); also reported for a passphrase-protected key.',
    source: `${ENVOY_TLS_CERTIFICATE_CONFIG}; https://github.com/envoyproxy/envoy/issues/14354`,
  }),
  entry('envoy-certificate-chain-load-failed', 'envoy', 'load-failed', {
    pattern: /Failed to load certificate chain from /,
    meaning: 'Envoy could not parse the certificate chain, for example because two PEM blocks have no newline between them.',
    source: 'https://github.com/istio/istio/issues/22530',
    causes: MALFORMED_CERTIFICATE,
  }),
  entry('envoy-private-key-load-failed', 'envoy', 'load-failed', {
    // No cause of its own: the BoringSSL reason after `Cause:` decides (a parse error, or
    // KEY_VALUES_MISMATCH when the key parses but belongs to another certificate).
    pattern: /Failed to load private key from /,
    meaning: "Envoy rejected the secret's private key; the BoringSSL reason after `Cause:` says why.",
    source: 'https://github.com/istio/istio/issues/53497 ; https://github.com/envoyproxy/envoy/issues/17693',
  }),
  reasonEntry('boringssl-pem-no-start-line', 'boringssl', 'no-start-line', {
    pattern: /PEM routines:OPENSSL_internal:NO_START_LINE/,
    meaning: 'BoringSSL found no PEM BEGIN line where it expected one.',
    source: 'https://github.com/istio/istio/issues/53497',
  }),
  reasonEntry('boringssl-pem-bad-end-line', 'boringssl', 'bad-end-line', {
    pattern: /PEM routines:OPENSSL_internal:BAD_END_LINE/,
    meaning: 'BoringSSL found a PEM block whose END line is wrong or missing.',
    source: 'https://github.com/wechatpay-apiv3/wechatpay-postman-script/issues/10',
  }),
  entry('boringssl-key-values-mismatch', 'boringssl', 'key-values-mismatch', {
    pattern: /OPENSSL_internal:KEY_VALUES_MISMATCH/,
    meaning: 'The private key does not belong to the first certificate of the chain (also seen when the chain starts with the intermediate).',
    source: 'https://github.com/envoyproxy/envoy/issues/17693 (reference/apigee.md §7.3)',
    causes: KEY_MISMATCH,
  }),
  entry('boringssl-certificate-verify-failed', 'boringssl', 'verify-failed', {
    // An upstream (backend) verification failure in Envoy's log: not about the ingress
    // certificate, so no cause.
    pattern: /OPENSSL_internal:CERTIFICATE_VERIFY_FAILED/,
    meaning: 'Envoy could not verify a peer certificate (usually an upstream backend, not the ingress certificate).',
    source: 'https://github.com/istio/istio/issues/50997',
  }),
];

// --- OpenSSL 3: the generic load lines of x509 / rsa / pkey, crl2pkcs7, verify, s_server -----

const OPENSSL_3_LOAD: Signature[] = [
  entry('openssl3-could-not-read-certificate', 'openssl-3', 'load-failed', {
    pattern: /Could not read certificate from /,
    meaning: 'OpenSSL 3 could not read the certificate; it prints this for every kind of damage, so the reason must come from elsewhere.',
    source: OBSERVED_OPENSSL_3,
    causes: MALFORMED_CERTIFICATE,
  }),
  entry('openssl3-unable-to-load-certificate', 'openssl-3', 'load-failed', {
    // Capital U: OpenSSL 1.x and LibreSSL print the lower-case `unable to load certificate`.
    pattern: /Unable to load certificate\b/,
    meaning: 'OpenSSL 3 `x509` could not load the certificate.',
    source: OBSERVED_OPENSSL_3,
    causes: MALFORMED_CERTIFICATE,
  }),
  entry('openssl3-could-not-read-private-key', 'openssl-3', 'load-failed', {
    pattern: /Could not read private key from /,
    meaning: 'OpenSSL 3 `rsa` could not read the private key (damaged, encrypted, or not a key).',
    source: OBSERVED_OPENSSL_3,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('openssl3-could-not-read-key', 'openssl-3', 'load-failed', {
    pattern: /Could not read key from /,
    meaning: 'OpenSSL 3 `pkey` could not read the private key (damaged, encrypted, or not a key).',
    source: `${OBSERVED_OPENSSL_3}; https://github.com/openssl/openssl/issues/14100`,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('openssl3-crl2pkcs7-error-reading-file', 'openssl-3', 'load-failed', {
    pattern: /error reading the file, /,
    meaning: '`openssl crl2pkcs7 -certfile` could not read the file; the following lines give the PEM reason.',
    source: 'observed OpenSSL 3.0.19 (reference/signatures.md §3.3)',
  }),
  entry('openssl3-verify-error-loading-file', 'openssl-3', 'load-failed', {
    pattern: /Error loading file /,
    meaning: '`openssl verify -CAfile` could not load the file; the following lines give the PEM reason.',
    source: 'observed OpenSSL 3.0.19 (reference/signatures.md §3.3)',
  }),
  entry('openssl3-error-setting-private-key', 'openssl-3', 'load-failed', {
    pattern: /error setting private key/,
    meaning: 'OpenSSL could not install the private key next to the certificate; the next line says why.',
    source: 'observed OpenSSL 3.0.19 `s_server -cert C -key K` (reference/signatures.md §3.4)',
  }),
];

// --- OpenSSL 1.x and LibreSSL: the generic load lines ---------------------------------------

const OPENSSL_1_LOAD: Signature[] = [
  entry('openssl1-unable-to-load-certificate', 'openssl-1.1', 'load-failed', {
    // Lower-case u; OpenSSL 1.0, 1.1.x and LibreSSL `x509` all print it.
    pattern: /unable to load certificate\b/,
    meaning: 'OpenSSL 1.x or LibreSSL `x509` could not load the certificate; the next lines give the reason.',
    source: `${PLAYBOOK}; https://github.com/openssl/openssl/issues/16890`,
    causes: MALFORMED_CERTIFICATE,
  }),
  entry('openssl1-unable-to-load-private-key', 'openssl-1.1', 'load-failed', {
    pattern: /unable to load Private Key/,
    meaning: 'OpenSSL 1.x or LibreSSL `rsa` could not load the private key; the next lines give the reason.',
    source: PLAYBOOK,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('libressl-error-loading-certificates', 'libressl', 'load-failed', {
    pattern: /error loading certificates/,
    meaning: 'LibreSSL (and OpenSSL 3 `crl2pkcs7 -certfile`) could not load the certificates; the next line gives the PEM reason.',
    source: `${PLAYBOOK}; observed OpenSSL 3.0.19 (reference/signatures.md §3.3)`,
    causes: MALFORMED_CERTIFICATE,
  }),
];

// --- PEM and ASN.1 reasons, by tool ---------------------------------------------------------

const PEM_AND_ASN1_REASONS: Signature[] = [
  // no start line
  reasonEntry('openssl3-pem-no-start-line', 'openssl-3', 'no-start-line', {
    pattern: opensslError('0480006C', 'no start line'),
    meaning: 'OpenSSL 3 found no PEM BEGIN line (empty input, DER, base64 applied twice, indented PEM, or the wrong file).',
    source: `${OBSERVED_NODE}; https://github.com/Frogging-Family/linux-tkg/issues/850`,
  }),
  reasonEntry('openssl11-pem-no-start-line', 'openssl-1.1', 'no-start-line', {
    pattern: opensslError('0909006C', 'no start line'),
    meaning: 'OpenSSL 1.1.1 found no PEM BEGIN line of the expected type.',
    source: 'https://github.com/openssl/openssl/issues/16890 ; https://github.com/openssl/openssl/issues/13947',
  }),
  reasonEntry('openssl10-pem-no-start-line', 'openssl-1.0', 'no-start-line', {
    pattern: opensslError('0906D06C', 'no start line'),
    meaning: 'OpenSSL 1.0/1.1.0 (or macOS OpenSSL 0.9.8 and LibreSSL 2.x) found no PEM BEGIN line of the expected type.',
    source: 'https://github.com/trimstray/htrace.sh/issues/66 ; https://github.com/codedge-llc/pigeon/issues/112',
  }),
  reasonEntry('libressl-pem-no-start-line', 'libressl', 'no-start-line', {
    pattern: opensslError('09FFF06C', 'no start line'),
    meaning: 'LibreSSL (macOS) found no PEM BEGIN line of the expected type.',
    source: 'https://github.com/pyca/cryptography/issues/8414 (reference/signatures.md §5.1)',
  }),
  entry('openssl3-no-certificate-found', 'openssl-3', 'no-start-line', {
    pattern: opensslError('05800088', 'no certificate or crl found'),
    meaning: '`openssl verify -CAfile` found no PEM certificate in the file at all.',
    source: 'observed OpenSSL 3.0.19 (reference/signatures.md §3.3)',
  }),

  // bad end line
  reasonEntry('openssl3-pem-bad-end-line', 'openssl-3', 'bad-end-line', {
    pattern: opensslError('04800066', 'bad end line'),
    meaning: 'OpenSSL 3 found a PEM block whose END line is wrong or missing, or two blocks with no newline between them.',
    source: `${OBSERVED_OPENSSL_3}; ${OBSERVED_NODE}`,
  }),
  reasonEntry('openssl10-pem-bad-end-line', 'openssl-1.0', 'bad-end-line', {
    pattern: opensslError('0906D066', 'bad end line'),
    meaning: 'OpenSSL 1.0 found a PEM block whose END line is wrong or missing.',
    source: 'https://github.com/openssl/openssl/issues/9610',
  }),
  reasonEntry('libressl-pem-bad-end-line', 'libressl', 'bad-end-line', {
    pattern: opensslError('09FFF066', 'bad end line'),
    meaning: 'LibreSSL found a PEM block whose END line is wrong or missing.',
    source: PLAYBOOK,
  }),

  // bad base64 decode
  reasonEntry('openssl3-pem-bad-base64-decode', 'openssl-3', 'bad-base64', {
    pattern: opensslError('04800064', 'bad base64 decode'),
    meaning: 'OpenSSL 3 found characters that are not base64 inside a PEM block.',
    source: `${OBSERVED_OPENSSL_3}; ${OBSERVED_NODE}`,
  }),
  reasonEntry('openssl11-pem-bad-base64-decode', 'openssl-1.1', 'bad-base64', {
    pattern: opensslError('09091064', 'bad base64 decode'),
    meaning: 'OpenSSL 1.1.1 found characters that are not base64 inside a PEM block.',
    source: PLAYBOOK,
  }),

  // ASN.1 (DER) damage
  reasonEntry('openssl3-asn1-header-too-long', 'openssl-3', 'asn1', {
    pattern: opensslError('0680007B', 'header too long'),
    meaning: 'OpenSSL 3 decoded the base64 but the DER structure inside is broken at its outer header.',
    source: `${OBSERVED_OPENSSL_3}; ${OBSERVED_NODE}`,
  }),
  reasonEntry('openssl3-asn1-too-long', 'openssl-3', 'asn1', {
    pattern: opensslError('0680009B', 'too long'),
    meaning: 'OpenSSL 3 decoded the base64 but a DER length inside runs past the end of the data.',
    source: 'observed OpenSSL 3.0.19 (reference/signatures.md §2, badder.crt)',
  }),
  reasonEntry('openssl3-asn1-wrong-tag', 'openssl-3', 'asn1', {
    pattern: opensslError('068000A8', 'wrong tag'),
    meaning: 'OpenSSL 3 decoded the base64 but the DER inside does not have the expected structure.',
    source: 'observed OpenSSL 3.0.19 (reference/signatures.md §2, badder.crt)',
  }),
  reasonEntry('openssl3-pem-asn1-lib', 'openssl-3', 'asn1', {
    pattern: /error:048[0-9A-F]{5}:PEM routines:[^:]{0,80}:ASN1 lib/,
    meaning: 'OpenSSL 3 read the PEM block but could not decode the DER inside it.',
    source: 'observed OpenSSL 3.0.19 crl2pkcs7 (reference/signatures.md §3.3)',
  }),
  reasonEntry('openssl11-asn1-sequence-not-constructed', 'openssl-1.1', 'asn1', {
    pattern: opensslError('0D078095', 'sequence not constructed'),
    meaning: 'OpenSSL 1.1 decoded the base64 but the DER inside is not a valid structure.',
    source: PLAYBOOK,
  }),
  reasonEntry('openssl11-asn1-header-too-long', 'openssl-1.1', 'asn1', {
    pattern: opensslError('0D07207B', 'header too long'),
    meaning: 'OpenSSL 1.x decoded the base64 but the DER structure inside is broken at a header.',
    source: 'https://github.com/zhlynn/zsign/issues/282',
  }),
  reasonEntry('openssl11-pem-asn1-lib', 'openssl-1.1', 'asn1', {
    pattern: opensslError('0906700D', 'ASN1 lib'),
    meaning: 'OpenSSL 1.1 read the PEM block but could not decode the DER inside it.',
    source: PLAYBOOK,
  }),
  reasonEntry('libressl-asn1-nested-error', 'libressl', 'asn1', {
    pattern: opensslError('0DFFF03A', 'nested asn1 error'),
    meaning: 'LibreSSL decoded the base64 but the DER inside is not a valid structure.',
    source: 'https://github.com/pyca/cryptography/issues/8414 (reference/signatures.md §5.1)',
  }),

  // OpenSSL 3 decoders and stores: "nothing could decode this"
  reasonEntry('openssl3-store-unsupported', 'openssl-3', 'unsupported', {
    pattern: opensslError('1608010C', 'unsupported'),
    meaning: 'OpenSSL 3 found nothing in the input it could load as the requested object (damaged PEM, or the wrong kind of object).',
    source: OBSERVED_OPENSSL_3,
  }),
  reasonEntry('openssl3-decoder-unsupported', 'openssl-3', 'unsupported', {
    pattern: opensslError('1E08010C', 'unsupported'),
    meaning: 'OpenSSL 3 had no decoder for the input (damaged PEM, or the wrong kind of object).',
    source: `${OBSERVED_OPENSSL_3}; https://github.com/zhlynn/zsign/pull/312`,
  }),
  entry('openssl3-evp-fetch-unsupported', 'openssl-3', 'unsupported', {
    pattern: opensslError('0308010C', 'unsupported'),
    meaning: 'OpenSSL 3 lacks an algorithm the input needs (e.g. a legacy RC2-encrypted PKCS#12 file).',
    source: 'https://github.com/tschoffelen/php-pkpass/issues/142',
  }),
];

// --- Keys: modulus traps, passphrases, mismatches -------------------------------------------

const KEYS: Signature[] = [
  entry('openssl-not-an-rsa-key', 'openssl-3', 'not-rsa', {
    // Not a fault of the key: the playbook's modulus method is RSA-only.
    pattern: /Not an RSA key/,
    meaning: "`openssl rsa` was given a non-RSA key (e.g. EC), which the playbook's modulus comparison cannot handle.",
    source: OBSERVED_OPENSSL_3,
  }),
  entry('openssl-no-modulus', 'openssl-3', 'no-modulus', {
    pattern: /Modulus=No modulus for this public key type/,
    meaning: 'The certificate has a non-RSA key, so `x509 -modulus` exits 0 without a modulus and two such outputs always "match".',
    source: OBSERVED_OPENSSL_3,
  }),
  entry('diff-files-differ', 'diff', 'diff-differ', {
    // `\S+` rather than `.+`: the process-substitution paths have no spaces, and `.+ and .+`
    // would backtrack quadratically on a hostile line.
    pattern: /^Files \S+ and \S+ differ$/,
    meaning: 'The playbook\'s modulus diff reported a difference; unreliable on its own, because a key or certificate that failed to load also "differs".',
    source: PLAYBOOK,
    causes: KEY_MISMATCH,
  }),
  entry('openssl3-key-values-mismatch', 'openssl-3', 'key-values-mismatch', {
    pattern: opensslError('05800074', 'key values mismatch'),
    meaning: 'OpenSSL 3 checked the private key against the certificate and they do not belong together.',
    source: 'observed OpenSSL 3.0.19 `s_server -cert C -key K` (reference/signatures.md §3.4)',
    causes: KEY_MISMATCH,
  }),
  entry('openssl11-key-values-mismatch', 'openssl-1.1', 'key-values-mismatch', {
    pattern: opensslError('0B080074', 'key values mismatch'),
    meaning: 'OpenSSL 1.x (e.g. in nginx) checked the private key against the certificate and they do not belong together.',
    source: 'https://github.com/tazjin/kubernetes-letsencrypt/issues/20',
    causes: KEY_MISMATCH,
  }),

  // passphrases: the ingress cannot use an encrypted key, so each of these is a key problem
  entry('openssl-passphrase-prompt', 'openssl-3', 'passphrase', {
    pattern: /Enter pass phrase for /,
    meaning: 'The private key is encrypted: openssl asked for its passphrase (and hangs on a terminal without `-passin pass:`).',
    source: OBSERVED_OPENSSL_3,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('openssl3-ui-processing-error', 'openssl-3', 'passphrase', {
    pattern: opensslError('1400006B', 'processing error'),
    meaning: 'The private key is encrypted and openssl could not read a passphrase (no terminal).',
    source: OBSERVED_OPENSSL_3,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('openssl3-ui-passphrase-lib', 'openssl-3', 'passphrase', {
    pattern: opensslError('07880028', 'UI lib'),
    meaning: 'The private key is encrypted and openssl could not read a passphrase.',
    source: OBSERVED_OPENSSL_3,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('openssl3-pem-bad-password-read', 'openssl-3', 'passphrase', {
    pattern: opensslError('04800068', 'bad password read'),
    meaning: 'The private key is encrypted (legacy PEM encryption) and no passphrase could be read.',
    source: OBSERVED_OPENSSL_3,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('openssl3-unable-to-get-passphrase', 'openssl-3', 'passphrase', {
    pattern: opensslError('1C80009F', 'unable to get passphrase'),
    meaning: 'The private key is an encrypted PKCS#8 key and no passphrase could be read.',
    source: OBSERVED_OPENSSL_3,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('openssl3-interrupted-or-cancelled', 'openssl-3', 'passphrase', {
    pattern: opensslError('07880109', 'interrupted or cancelled'),
    meaning: 'The private key is encrypted and no passphrase was given (Node `createPrivateKey`).',
    source: OBSERVED_NODE,
    causes: MALFORMED_PRIVATE_KEY,
  }),

  // wrong passphrase
  entry('openssl3-pem-bad-decrypt', 'openssl-3', 'bad-decrypt', {
    pattern: opensslError('04800065', 'bad decrypt'),
    meaning: 'The private key is encrypted (legacy PEM encryption) and the passphrase is wrong or empty.',
    source: 'observed OpenSSL 3.0.19 with `-passin pass:` (reference/signatures.md §3.5)',
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('openssl3-provider-bad-decrypt', 'openssl-3', 'bad-decrypt', {
    pattern: opensslError('1C800064', 'bad decrypt'),
    meaning: 'The private key is encrypted and the passphrase is wrong or empty.',
    source: `observed OpenSSL 3.0.19 (reference/signatures.md §3.5); ${OBSERVED_NODE}`,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('openssl3-pkcs12-cipherfinal-error', 'openssl-3', 'bad-decrypt', {
    pattern: opensslError('11800074', 'pkcs12 cipherfinal error'),
    meaning: 'The private key is an encrypted PKCS#8 key and the passphrase is wrong.',
    source: 'observed OpenSSL 3.0.19 (reference/signatures.md §3.5)',
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('openssl11-pem-bad-decrypt', 'openssl-1.1', 'bad-decrypt', {
    pattern: opensslError('0906A065', 'bad decrypt'),
    meaning: 'The private key is encrypted and the passphrase is wrong.',
    source: 'https://github.com/openssl/openssl/pull/17439',
    causes: MALFORMED_PRIVATE_KEY,
  }),
];

// --- Go crypto/tls.X509KeyPair (what `kubectl create secret tls` prints) ----------------------

const GO: Signature[] = [
  entry('go-tls-no-pem-in-certificate', 'go', 'no-start-line', {
    pattern: /tls: failed to find any PEM data in certificate input/,
    meaning: 'Go found no PEM block at all in the certificate input.',
    source: GO_X509_KEY_PAIR,
    causes: MALFORMED_CERTIFICATE,
  }),
  entry('go-tls-key-in-certificate-input', 'go', 'wrong-pem-type', {
    pattern: /tls: failed to find certificate PEM data in certificate input, but did find a private key/,
    meaning: 'Go found a private key where the certificate belongs: the two inputs were probably switched.',
    source: GO_X509_KEY_PAIR,
    causes: MALFORMED_CERTIFICATE,
  }),
  entry('go-tls-no-certificate-block', 'go', 'wrong-pem-type', {
    pattern: /tls: failed to find \\?"CERTIFICATE\\?" PEM block in certificate input/,
    meaning: 'Go found PEM blocks in the certificate input, but none of type CERTIFICATE.',
    source: GO_X509_KEY_PAIR,
    causes: MALFORMED_CERTIFICATE,
  }),
  entry('go-tls-no-pem-in-key', 'go', 'no-start-line', {
    pattern: /tls: failed to find any PEM data in key input/,
    meaning: 'Go found no PEM block at all in the key input.',
    source: GO_X509_KEY_PAIR,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('go-tls-certificate-in-key-input', 'go', 'wrong-pem-type', {
    pattern: /tls: found a certificate rather than a key in the PEM for the private key/,
    meaning: 'Go found a certificate where the private key belongs.',
    source: GO_X509_KEY_PAIR,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('go-tls-no-private-key-block', 'go', 'wrong-pem-type', {
    pattern: /tls: failed to find PEM block with type ending in \\?"PRIVATE KEY\\?" in key input/,
    meaning: 'Go found PEM blocks in the key input, but no private key.',
    source: GO_X509_KEY_PAIR,
    causes: MALFORMED_PRIVATE_KEY,
  }),
  entry('go-tls-key-type-mismatch', 'go', 'key-values-mismatch', {
    pattern: /tls: private key type does not match public key type/,
    meaning: "The private key's algorithm differs from the certificate's (e.g. an RSA key with an EC certificate).",
    source: GO_X509_KEY_PAIR,
    causes: KEY_MISMATCH,
  }),
  entry('go-tls-key-mismatch', 'go', 'key-values-mismatch', {
    pattern: /tls: private key does not match public key/,
    meaning: 'The private key does not belong to the certificate.',
    source: GO_X509_KEY_PAIR,
    causes: KEY_MISMATCH,
  }),
  entry('go-tls-unparsable-private-key', 'go', 'load-failed', {
    pattern: /tls: failed to parse private key/,
    meaning: 'Go found a private-key PEM block but could not parse the key inside it.',
    source: GO_X509_KEY_PAIR,
    causes: MALFORMED_PRIVATE_KEY,
  }),
];

// --- The TLS handshake, as curl, GnuTLS and Node report it -----------------------------------

const HANDSHAKE: Signature[] = [
  // closed without an alert
  entry('curl-libressl-ssl-error-syscall', 'curl', 'handshake-closed', {
    pattern: /LibreSSL SSL_connect: SSL_ERROR_SYSCALL/,
    meaning: 'The server closed the connection during the TLS handshake without sending an alert (curl with LibreSSL).',
    source: PLAYBOOK,
    causes: ['handshake-closed'],
  }),
  entry('curl-openssl-ssl-error-syscall', 'curl', 'handshake-closed', {
    pattern: /OpenSSL SSL_connect: SSL_ERROR_SYSCALL/,
    meaning: 'The server closed the connection during the TLS handshake without sending an alert (curl with OpenSSL).',
    source: OBSERVED_CURL,
    causes: ['handshake-closed'],
  }),
  entry('curl-gnutls-premature-termination', 'curl', 'handshake-closed', {
    pattern: /gnutls_handshake\(\) failed: The TLS connection was non-properly terminated/,
    meaning: 'The server closed the connection during the TLS handshake without sending an alert (curl with GnuTLS).',
    source: 'https://github.com/rust-lang/futures-rs/issues/51',
    causes: ['handshake-closed'],
  }),
  entry('node-tls-socket-disconnected', 'node', 'handshake-closed', {
    pattern: /Client network socket disconnected before secure TLS connection was established/,
    meaning: 'The server closed the connection before the TLS handshake finished (Node; its error code says ECONNRESET).',
    source: 'Node lib/_tls_wrap.js onConnectEnd; https://github.com/apify/proxy-chain/issues/40',
    causes: ['handshake-closed'],
  }),

  // reset
  entry('curl-recv-failure-connection-reset', 'curl', 'handshake-reset', {
    pattern: /Recv failure: Connection reset by peer/,
    meaning: 'The server reset the connection during the TLS handshake (e.g. no certificate for the requested host name).',
    source: `${PLAYBOOK}; ${OBSERVED_CURL}`,
    causes: ['handshake-reset'],
  }),
  entry('curl-openssl-ssl-connect-reset', 'curl', 'handshake-reset', {
    pattern: /SSL_connect: Connection reset by peer/,
    meaning: 'The server reset the connection during the TLS handshake (curl with OpenSSL).',
    source: OBSERVED_CURL,
    causes: ['handshake-reset'],
  }),
  entry('libressl-connection-reset', 'libressl', 'handshake-reset', {
    pattern: opensslError('02FFF036', 'Connection reset by peer'),
    meaning: 'The server reset the connection during the TLS handshake (LibreSSL system error).',
    source: PLAYBOOK,
    causes: ['handshake-reset'],
  }),
  entry('curl-gnutls-pull-error', 'curl', 'handshake-reset', {
    pattern: /gnutls_handshake\(\) failed: Error in the pull function/,
    meaning: 'Reading from the server failed during the TLS handshake, usually a connection reset (curl with GnuTLS).',
    source: 'https://github.com/l-ra/openeet/issues/7',
    causes: ['handshake-reset'],
  }),
  entry('node-econnreset', 'node', 'handshake-reset', {
    // ECONRESET (one N) is how the Apigee non-SNI playbook prints it. A line that also says
    // "Client network socket disconnected" is a close, not a reset: Node labels that
    // ECONNRESET too (node-tls-socket-disconnected).
    pattern: /^(?![^\n]*Client network socket disconnected)[^\n]*?\bECONN?RESET\b/,
    meaning: 'The server reset the connection (Node, Postman); the symptom of the non-SNI playbook.',
    source: 'Apigee playbook "Connection resets during TLS handshake for non-SNI clients" (reference/apigee.md §9.1)',
    causes: ['handshake-reset'],
  }),

  // fatal alert (the specific handshake_failure line before the general alert line)
  entry('openssl3-alert-handshake-failure', 'openssl-3', 'handshake-alert', {
    pattern: opensslError('0A000410', 'sslv3 alert handshake failure'),
    meaning: 'The server answered the TLS handshake with a handshake_failure alert (e.g. no certificate for the name).',
    source: OBSERVED_CURL,
    causes: ['handshake-alert'],
  }),
  entry('libressl-alert-handshake-failure', 'libressl', 'handshake-alert', {
    pattern: opensslError('1404B410', 'sslv3 alert handshake failure'),
    meaning: 'The server answered the TLS handshake with a handshake_failure alert (LibreSSL).',
    source: PLAYBOOK,
    causes: ['handshake-alert'],
  }),
  entry('openssl1-alert-handshake-failure', 'openssl-1.1', 'handshake-alert', {
    pattern: opensslError('14094410', 'sslv3 alert handshake failure'),
    meaning: 'The server answered the TLS handshake with a handshake_failure alert (OpenSSL 1.x).',
    source: 'https://github.com/servicemesher/istio-official-translation/issues/743',
    causes: ['handshake-alert'],
  }),
  entry('curl-tls-alert-handshake-failure', 'curl', 'handshake-alert', {
    pattern: /\(IN\), TLS alert, handshake failure \(552\)/,
    meaning: 'curl received a fatal handshake_failure alert from the server.',
    source: OBSERVED_CURL,
    causes: ['handshake-alert'],
  }),
  entry('curl-tls-alert-fatal', 'curl', 'handshake-alert', {
    // curl prints (level << 8 | description): fatal alerts (level 2) are 512 to 767.
    // Outgoing `(OUT)` alerts are the client's own and do not count.
    pattern: /\(IN\), TLS alert, [A-Za-z][A-Za-z ]{0,40} \((?:5(?:1[2-9]|[2-9]\d)|6\d\d|7(?:[0-5]\d|6[0-7]))\)/,
    meaning: 'curl received a fatal TLS alert from the server.',
    source: `${OBSERVED_CURL} (the alert number is level * 256 + description)`,
    causes: ['handshake-alert'],
  }),
  entry('curl-gnutls-handshake-failed-alert', 'curl', 'handshake-alert', {
    // curl with GnuTLS prints the alert's name on a fatal alert: "Handshake failed" is the
    // handshake_failure alert (curl lib/vtls/gtls.c).
    pattern: /gnutls_handshake\(\) failed: Handshake failed/,
    meaning: 'The server answered the TLS handshake with a handshake_failure alert (curl with GnuTLS).',
    source: 'https://github.com/istio/istio/issues/31536 ; curl lib/vtls/gtls.c',
    causes: ['handshake-alert'],
  }),
  entry('curl-gnutls-fatal-alert', 'curl', 'handshake-alert', {
    pattern: /gnutls_handshake\(\) failed: A TLS fatal alert has been received/,
    meaning: 'The server answered the TLS handshake with a fatal alert (curl with GnuTLS).',
    source: 'https://github.com/php-curl-class/php-curl-class/issues/659',
    causes: ['handshake-alert'],
  }),
];

// --- Before and around the handshake: the TCP connection, plain HTTP, versions, mutual TLS ----

const CONNECTION: Signature[] = [
  entry('curl-could-not-resolve-host', 'curl', 'connect-failed', {
    pattern: /Could not resolve host: /,
    meaning: 'curl could not resolve the host name (curl exit 6).',
    source: `${CURL_CONNECT}; ${OBSERVED_CURL_PROBE}`,
    causes: ['connect-failed'],
  }),
  entry('curl-failed-to-connect', 'curl', 'connect-failed', {
    // 7.88: "Failed to connect to H port P after N ms: Couldn't connect to server"; older: "…: Connection refused".
    pattern: /Failed to connect to [^\s]{1,260} port \d{1,5}|connect to [^\s]{1,260} port \d{1,5} failed: /,
    meaning: 'curl could not open a TCP connection to the server (curl exit 7, or 28 when it timed out).',
    source: `${CURL_CONNECT}; ${OBSERVED_CURL_PROBE}`,
  }),
  entry('curl-operation-timed-out', 'curl', 'timeout', {
    pattern: /(?:Operation|Connection|Resolving) timed out after \d{1,10} milli|SSL connection timeout/,
    meaning: 'curl gave up waiting (curl exit 28); whether a TCP connection was made decides what timed out.',
    source: `curl lib/multi.c and lib/connect.c timeout texts; ${OBSERVED_CURL_PROBE}`,
  }),
];

const NOT_TLS: Signature[] = [
  entry('openssl3-wrong-version-number', 'openssl-3', 'not-tls', {
    pattern: opensslError('0A00010B', 'wrong version number'),
    meaning: 'The server answered the ClientHello with bytes that are not TLS, e.g. an HTTP response from a plain-HTTP port (curl exit 35).',
    source: `${OBSERVED_CURL_PROBE}; https://github.com/curl/curl/issues/9931`,
    causes: ['not-tls'],
  }),
  entry('openssl1-wrong-version-number', 'openssl-1.1', 'not-tls', {
    pattern: opensslError('1408F10B', 'wrong version number'),
    meaning: 'The server answered with bytes that are not TLS (OpenSSL 1.1).',
    source: 'https://github.com/openssl/openssl/issues/19969',
    causes: ['not-tls'],
  }),
  entry('libressl-wrong-version-number', 'libressl', 'not-tls', {
    pattern: opensslError('1400410B', 'wrong version number'),
    meaning: 'The server answered with bytes that are not TLS (LibreSSL, e.g. macOS or Alpine curl).',
    source: 'https://github.com/Caiyeon/goldfish/issues/248 ; https://github.com/SpectoLabs/hoverfly/issues/878',
    causes: ['not-tls'],
  }),
  entry('ssl-wrong-version-number', 'openssl-3', 'not-tls', {
    pattern: /SSL routines:[^:]{0,80}:wrong version number/,
    meaning: 'The server answered with bytes that are not TLS (an OpenSSL-family library).',
    source: OPENSSL_ALERT_REASONS,
    causes: ['not-tls'],
  }),
];

const PROTOCOL_VERSION: Signature[] = [
  entry('curl-tls-alert-protocol-version', 'curl', 'handshake-alert', {
    // kind handshake-alert: on this line it wins over the generic curl-tls-alert-fatal.
    pattern: /\(IN\), TLS alert, protocol version \(582\)/,
    meaning: 'The server refused the TLS versions curl offered with a protocol_version alert.',
    source: OBSERVED_CURL_PROBE,
    causes: ['tls-version-refused'],
  }),
  entry('openssl3-alert-protocol-version', 'openssl-3', 'protocol-version', {
    pattern: opensslError('0A00042E', 'tlsv1 alert protocol version'),
    meaning: 'The server refused the TLS versions offered (protocol_version alert).',
    source: OBSERVED_CURL_PROBE,
    causes: ['tls-version-refused'],
  }),
  entry('libressl-alert-protocol-version', 'libressl', 'protocol-version', {
    // 1404B42E during the handshake (exit 35); 1404C42E when read after it (exit 56).
    pattern: /error:1404[BC]42E:SSL routines:[^:]{0,80}:tlsv1 alert protocol version/,
    meaning: 'The server refused the TLS versions offered (curl with LibreSSL, e.g. macOS).',
    source: 'https://github.com/jup-ag/metis-binary/issues/1 ; https://github.com/avante-corp/avante.nvim/issues/443',
    causes: ['tls-version-refused'],
  }),
  entry('ssl-alert-protocol-version', 'openssl-1.1', 'protocol-version', {
    pattern: /SSL routines:[^:]{0,80}:tlsv1 alert protocol version/,
    meaning: 'The server refused the TLS versions offered (an OpenSSL-family library, e.g. 1407742E or 1400442E).',
    source: 'https://github.com/crystal-lang/crystal/issues/4618 ; https://github.com/Orange-OpenSource/hurl/issues/2127',
    causes: ['tls-version-refused'],
  }),
  entry('ssl-unsupported-protocol', 'openssl-3', 'protocol-version', {
    pattern: /SSL routines:[^:]{0,80}:unsupported protocol|Unsupported SSL protocol version/,
    meaning: 'Client and server share no TLS version: the server only speaks one the client will not use.',
    source: `${OPENSSL_ALERT_REASONS}; https://github.com/rust-lang/rustup/issues/2170 (SecureTransport)`,
    causes: ['tls-version-refused'],
  }),
];

const CLIENT_CERTIFICATE: Signature[] = [
  entry('curl-tls-alert-certificate-required', 'curl', 'handshake-alert', {
    // kind handshake-alert: on this line it wins over the generic curl-tls-alert-fatal.
    // 628 = fatal (2) * 256 + certificate_required (116); curl 7.88 has no name for it: "unknown".
    pattern: /\(IN\), TLS alert, (?:unknown|certificate required) \(628\)/,
    meaning: 'The server sent a certificate_required alert: it wants a client certificate (mutual TLS).',
    source: OBSERVED_CURL_PROBE,
    causes: ['client-certificate-required'],
  }),
  entry('curl-tls-alert-bad-certificate', 'curl', 'handshake-alert', {
    // kind handshake-alert: on this line it wins over the generic curl-tls-alert-fatal.
    pattern: /\(IN\), TLS alert, (?:bad certificate \(554\)|unknown CA \(560\))/,
    meaning: 'The server refused the client certificate presented (bad_certificate or unknown_ca alert).',
    source: `${OBSERVED_CURL} (the alert number is level * 256 + description)`,
    causes: ['client-certificate-required'],
  }),
  entry('openssl3-alert-certificate-required', 'openssl-3', 'client-certificate', {
    pattern: opensslError('0A00045C', 'tlsv13 alert certificate required'),
    meaning: 'The server wants a client certificate and none was presented (TLS 1.3; curl exit 56).',
    source: OBSERVED_CURL_PROBE,
    causes: ['client-certificate-required'],
  }),
  entry('ssl-alert-client-certificate', 'openssl-1.1', 'client-certificate', {
    pattern: /SSL routines:[^:]{0,80}:(?:tlsv13 alert certificate required|sslv3 alert bad certificate|tlsv1 alert unknown ca)/,
    meaning: 'The server wants a client certificate, or refused the one presented (certificate_required, bad_certificate or unknown_ca alert).',
    source: `${OPENSSL_ALERT_REASONS}; ${OBSERVED_CURL_PROBE}`,
    causes: ['client-certificate-required'],
  }),
];

const SCHANNEL_HANDSHAKE: Signature[] = [
  entry('schannel-illegal-message', 'schannel', 'handshake-alert', {
    pattern: /SEC_E_ILLEGAL_MESSAGE \(0x80090326\)/,
    meaning: 'Windows (curl with Schannel) received a fatal TLS alert; Schannel does not say which.',
    source: 'https://github.com/rust-lang/cargo/issues/9788 ; https://github.com/curl/curl/issues/267',
    causes: ['handshake-alert'],
  }),
  entry('schannel-failed-to-receive-handshake', 'schannel', 'handshake-closed', {
    pattern: /schannel: failed to receive handshake, SSL\/TLS connection failed/,
    meaning: 'Windows (curl with Schannel): the server ended the connection during the handshake.',
    source: 'https://github.com/curl/curl/issues/18297',
    causes: ['handshake-closed'],
  }),
];

// --- Certificate verification, as curl and openssl report it --------------------------------

const VERIFY: Signature[] = [
  entry('curl-certificate-expired', 'curl', 'verify-expired', {
    pattern: /SSL certificate problem: certificate has expired/,
    meaning: 'The server presented an expired certificate (curl exit 60).',
    source: `${OBSERVED_CURL}; https://github.com/muffinista/really-simple-history-api/issues/34`,
    causes: ['certificate-expired'],
  }),
  entry('openssl-verify-certificate-expired', 'openssl-3', 'verify-expired', {
    pattern: /(?:verify error:num=10:|Verify return code: 10 \(|error 10 at \d{1,4} depth lookup: ?)certificate has expired/,
    meaning: 'openssl s_client or verify found an expired certificate.',
    source: `${OBSERVED_OPENSSL_3} (s_client, verify)`,
    causes: ['certificate-expired'],
  }),
  entry('curl-certificate-not-yet-valid', 'curl', 'verify-not-yet-valid', {
    pattern: /SSL certificate problem: certificate is not yet valid/,
    meaning: 'The server presented a certificate whose validity has not started (curl exit 60).',
    source: OPENSSL_VERIFY_TEXT,
    causes: ['certificate-not-yet-valid'],
  }),
  entry('curl-self-signed-certificate', 'curl', 'verify-self-signed', {
    // OpenSSL 3 spells it "self-signed", 1.x "self signed"; both also "… in certificate chain".
    pattern: /SSL certificate problem: self[- ]signed certificate/,
    meaning: 'The client does not trust the self-signed certificate (or self-signed root) the server presented (curl exit 60).',
    source: OBSERVED_CURL,
    causes: ['served-chain-untrusted'],
  }),
  entry('curl-unable-to-get-local-issuer', 'curl', 'verify-unknown-ca', {
    pattern: /SSL certificate problem: unable to get local issuer certificate/,
    meaning: "The client could not find the issuer of the server's certificate: the chain lacks its intermediate, or the root is not trusted (curl exit 60).",
    source: `${OPENSSL_VERIFY_TEXT}; ${OBSERVED_CURL_PROBE}`,
    causes: ['served-chain-untrusted'],
  }),
  entry('curl-unable-to-verify-first-certificate', 'curl', 'verify-unknown-ca', {
    pattern: /SSL certificate problem: (?:unable to verify the first certificate|unable to get issuer certificate)/,
    meaning: "The client could not build a path from the server's certificate to a trusted root (curl exit 60).",
    source: OPENSSL_VERIFY_TEXT,
    causes: ['served-chain-untrusted'],
  }),
  entry('schannel-untrusted-root', 'schannel', 'verify-untrusted', {
    pattern: /SEC_E_UNTRUSTED_ROOT \(0x80090325\)|CertGetCertificateChain trust error CERT_TRUST_IS_UNTRUSTED_ROOT/,
    meaning: 'Windows (curl with Schannel) does not trust the chain the server presented: an intermediate is missing or the root is unknown.',
    source: 'https://github.com/curl/curl/pull/6018 ; https://github.com/jeroen/curl/issues/193',
    causes: ['served-chain-untrusted'],
  }),
  entry('schannel-certificate-expired', 'schannel', 'verify-expired', {
    pattern: /SEC_E_CERT_EXPIRED \(0x80090328\)/,
    meaning: 'Windows (curl with Schannel) found an expired certificate in the chain the server presented.',
    source: 'https://github.com/jeroen/curl/issues/279 ; https://github.com/olafmersmann/sendmailR/issues/7',
    causes: ['certificate-expired'],
  }),
  entry('schannel-wrong-principal', 'schannel', 'verify-hostname', {
    pattern: /SEC_E_WRONG_PRINCIPAL \(0x80090322\)/,
    meaning: 'Windows (curl with Schannel) found that the certificate does not cover the host name ("The target principal name is incorrect").',
    source: 'https://github.com/microsoft/sfs-client/issues/125',
    causes: ['hostname-not-covered'],
  }),
  entry('curl-no-alternative-subject-name', 'curl', 'verify-hostname', {
    pattern: /no alternative certificate subject name matches target host name/,
    meaning: "None of the certificate's subject alternative names covers the host name (curl exit 60).",
    source: 'https://github.com/ministryofjustice/cloud-platform/issues/4331',
    causes: ['hostname-not-covered'],
  }),
  entry('curl-subject-name-mismatch', 'curl', 'verify-hostname', {
    pattern: /certificate subject name '[^'\n]{0,1024}' does not match target host name/,
    meaning: "The certificate's common name does not match the host name, and it has no matching alternative name (curl exit 60).",
    source: OBSERVED_CURL,
    causes: ['hostname-not-covered'],
  }),
  entry('openssl-checkhost-mismatch', 'openssl-3', 'verify-hostname', {
    // `openssl x509 -checkhost` exits 0 even then: only this text says so.
    pattern: /Hostname \S{1,253} does NOT match certificate/,
    meaning: '`openssl x509 -checkhost` found that the certificate does not cover the host name.',
    source: 'observed OpenSSL 3.0.19 (reference/signatures.md §3.4)',
    causes: ['hostname-not-covered'],
  }),
];

// --- Family fallbacks: undocumented function codes of the same reasons ----------------------
// OpenSSL 1.x and LibreSSL codes are library (2 hex digits), function (3) and reason (3); the
// function varies with the calling path. These catch the documented reasons under other
// function codes. They come last, so a specific entry of the same kind wins. The library
// name is part of each pattern, which keeps OpenSSL 3 codes (a different layout) out.

const FALLBACKS: Signature[] = [
  reasonEntry('openssl1-pem-no-start-line', 'openssl-1.1', 'no-start-line', {
    pattern: /error:09[0-9A-F]{6}:PEM routines:[^:]{0,80}:no start line/,
    meaning: 'OpenSSL 1.x or LibreSSL found no PEM BEGIN line of the expected type.',
    source: OPENSSL_1_FAMILY,
  }),
  reasonEntry('openssl1-pem-bad-end-line', 'openssl-1.1', 'bad-end-line', {
    pattern: /error:09[0-9A-F]{6}:PEM routines:[^:]{0,80}:bad end line/,
    meaning: 'OpenSSL 1.x or LibreSSL found a PEM block whose END line is wrong or missing.',
    source: OPENSSL_1_FAMILY,
  }),
  reasonEntry('openssl1-pem-bad-base64-decode', 'openssl-1.1', 'bad-base64', {
    pattern: /error:09[0-9A-F]{6}:PEM routines:[^:]{0,80}:bad base64 decode/,
    meaning: 'OpenSSL 1.x or LibreSSL found characters that are not base64 inside a PEM block.',
    source: OPENSSL_1_FAMILY,
  }),
  reasonEntry('openssl1-asn1-error', 'openssl-1.1', 'asn1', {
    pattern: /error:0D[0-9A-F]{6}:asn1 encoding routines:/,
    meaning: 'OpenSSL 1.x or LibreSSL decoded the base64 but the DER inside is damaged.',
    source: OPENSSL_1_FAMILY,
  }),
  reasonEntry('openssl3-asn1-error', 'openssl-3', 'asn1', {
    pattern: /error:068[0-9A-F]{5}:asn1 encoding routines:/,
    meaning: 'OpenSSL 3 decoded the base64 but the DER inside is damaged (e.g. a nested ASN.1 error or a bad object header).',
    source: 'observed OpenSSL 3.0.19 crl2pkcs7 (reference/signatures.md §3.3)',
  }),
  entry('openssl1-bad-decrypt', 'openssl-1.1', 'bad-decrypt', {
    pattern: /error:0[69][0-9A-F]{6}:(?:PEM|digital envelope) routines:[^:]{0,80}:bad decrypt/,
    meaning: 'The private key is encrypted and the passphrase is wrong (OpenSSL 1.x).',
    source: OPENSSL_1_FAMILY,
    causes: MALFORMED_PRIVATE_KEY,
  }),
];

/** Every documented signature, in precedence order (see the note at the top of this file). */
export const SIGNATURES: readonly Signature[] = Object.freeze([
  ...SECRETS,
  ...ISTIOD,
  ...WATCHER_UPDATES,
  ...ENVOY_AND_BORINGSSL,
  ...OPENSSL_3_LOAD,
  ...OPENSSL_1_LOAD,
  ...PEM_AND_ASN1_REASONS,
  ...KEYS,
  ...GO,
  ...CONNECTION,
  ...NOT_TLS,
  ...PROTOCOL_VERSION,
  ...CLIENT_CERTIFICATE,
  ...SCHANNEL_HANDSHAKE,
  ...HANDSHAKE,
  ...VERIFY,
  ...FALLBACKS,
]);

const SIGNATURES_BY_ID: ReadonlyMap<string, Signature> = new Map(SIGNATURES.map((s) => [s.id, s]));

/** The catalog entry with this id, if any. */
export function signatureById(id: string): Signature | undefined {
  return SIGNATURES_BY_ID.get(id);
}
