import test from 'ava';

import { CAUSES } from '../src/report/finding.js';
import {
  MAX_LINE_CHARS,
  SIGNATURES,
  extractWatcherMessage,
  matchLine,
  matchText,
  normaliseLine,
  signatureById,
  watcherSecretNotFound,
  type SignatureMatch,
} from '../src/signatures/index.js';

/** The parts of a match a verdict depends on, as plain data for deepEqual. */
function brief(matches: readonly SignatureMatch[]): Array<{ id: string; causes: string[] }> {
  return matches.map((m) => ({ id: m.id, causes: [...m.causes] }));
}

/** matchText reduced to "line number: id [causes]" strings. */
function transcript(text: string): string[] {
  return matchText(text).map((m) => `${m.lineNumber}: ${m.id} [${m.causes.join(',')}]`);
}

/** Table-driven: each line must give exactly the listed matches. */
function expectLines(title: string, cases: ReadonlyArray<readonly [line: string, expected: Array<{ id: string; causes: string[] }>]>): void {
  test(title, (t) => {
    for (const [line, expected] of cases) {
      t.deepEqual(brief(matchLine(line)), expected, line);
    }
  });
}

const one = (id: string, ...causes: string[]) => [{ id, causes }];

// --- The catalog itself ---------------------------------------------------------------------

test('catalog: ids are unique, stable kebab-case, and found by signatureById', (t) => {
  const ids = SIGNATURES.map((s) => s.id);
  t.is(new Set(ids).size, ids.length);
  for (const id of ids) {
    t.regex(id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, id);
    t.is(signatureById(id)?.id, id);
  }
  t.is(signatureById('no-such-signature'), undefined);
});

test('catalog: patterns have no flags (test() must stay stateless; the combined gate relies on it)', (t) => {
  for (const s of SIGNATURES) t.is(s.pattern.flags, '', s.id);
});

test('catalog: causes are CONTRACT cause ids; meanings are sentences; sources are given', (t) => {
  const known = new Set<string>(CAUSES);
  for (const s of SIGNATURES) {
    for (const cause of s.causes) t.true(known.has(cause), `${s.id}: ${cause}`);
    t.regex(s.meaning, /^[A-Za-z`'"].*\.$/, s.id);
    t.true(s.source.length > 10, s.id);
    if (s.causesFromNamedObject) t.deepEqual([...s.causes], [], s.id);
  }
});

test('catalog: the entries are frozen', (t) => {
  t.true(Object.isFrozen(SIGNATURES));
  const first = SIGNATURES[0]!;
  t.true(Object.isFrozen(first));
  t.true(Object.isFrozen(first.causes));
});

// --- normaliseLine --------------------------------------------------------------------------

test('normaliseLine: OpenSSL 3 hexadecimal thread ids (16 digits, and 8 on Windows)', (t) => {
  t.is(
    normaliseLine('4027D3D1197F0000:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:149:'),
    '<tid>:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:149:',
  );
  t.is(
    normaliseLine('F03B0000:error:0308010C:digital envelope routines:inner_evp_generic_fetch:unsupported'),
    '<tid>:error:0308010C:digital envelope routines:inner_evp_generic_fetch:unsupported',
  );
});

test('normaliseLine: decimal thread ids of OpenSSL 1.x and LibreSSL', (t) => {
  t.is(
    normaliseLine('136613728412992:error:0906700D:PEM routines:PEM_ASN1_read_bio:ASN1 lib:../crypto/pem/pem_oth.c:33:'),
    '<tid>:error:0906700D:PEM routines:PEM_ASN1_read_bio:ASN1 lib:../crypto/pem/pem_oth.c:33:',
  );
  t.is(normaliseLine('8360934016:error:09FFF066:PEM routines:CRYPTO_internal:bad end line'), '<tid>:error:09FFF066:PEM routines:CRYPTO_internal:bad end line');
});

test('normaliseLine: CR, BOM and leading blanks; other lines unchanged', (t) => {
  t.is(normaliseLine('140685502600512:error:0909006C:x\r'), '<tid>:error:0909006C:x');
  t.is(normaliseLine('\uFEFFunable to load certificate'), 'unable to load certificate');
  t.is(normaliseLine('   37410:error:0906D06C:PEM'), '   <tid>:error:0906D06C:PEM');
  t.is(normaliseLine('* Recv failure: Connection reset by peer'), '* Recv failure: Connection reset by peer');
  t.is(normaliseLine('SSL error:0480006C:PEM routines::no start line'), 'SSL error:0480006C:PEM routines::no start line');
  t.is(normaliseLine('deadbeef:error:x'), 'deadbeef:error:x'); // OpenSSL prints upper-case hex only
  t.is(normaliseLine(''), '');
  t.is(normaliseLine(undefined as unknown as string), '');
});

// --- The playbook's samples (PLAYBOOK.md), verbatim ------------------------------------------

test('playbook: curl/LibreSSL transcript, server closes (SSL_ERROR_SYSCALL)', (t) => {
  const text = [
    '* TLSv1.2 (OUT), TLS handshake, Client hello (1):',
    '* LibreSSL SSL_connect: SSL_ERROR_SYSCALL in connection to example.apis.com:443',
    '* Closing connection 0',
    'curl: (35) LibreSSL SSL_connect: SSL_ERROR_SYSCALL in connection to example.apis.com:443',
  ].join('\n');
  t.deepEqual(transcript(text), ['2: curl-libressl-ssl-error-syscall [handshake-closed]', '4: curl-libressl-ssl-error-syscall [handshake-closed]']);
});

test('playbook: curl/LibreSSL transcript, connection reset', (t) => {
  const text = [
    '* (304) (OUT), TLS handshake, Client hello (1):',
    '* Recv failure: Connection reset by peer',
    '* LibreSSL/3.3.6: error:02FFF036:system library:func(4095):Connection reset by peer',
    '* Closing connection',
    'curl: (35) Recv failure: Connection reset by peer',
  ].join('\n');
  t.deepEqual(transcript(text), [
    '2: curl-recv-failure-connection-reset [handshake-reset]',
    '3: libressl-connection-reset [handshake-reset]',
    '5: curl-recv-failure-connection-reset [handshake-reset]',
  ]);
});

test('playbook: curl/LibreSSL transcript, handshake-failure alert', (t) => {
  const text = [
    '* (304) (OUT), TLS handshake, Client hello (1):',
    '* LibreSSL/3.3.6: error:1404B410:SSL routines:ST_CONNECT:sslv3 alert handshake failure',
    '* Closing connection',
    'curl: (35) LibreSSL/3.3.6: error:1404B410:SSL routines:ST_CONNECT:sslv3 alert handshake failure',
  ].join('\n');
  t.deepEqual(transcript(text), ['2: libressl-alert-handshake-failure [handshake-alert]', '4: libressl-alert-handshake-failure [handshake-alert]']);
});

test('playbook: the apigee-watcher line, on one line and wrapped as the playbook prints it', (t) => {
  const line = 'NOT_FOUND: failed to get secret "MY_HYBRID_PROJECT-ENV_GROUP" in namespace "apigee": secrets "MY_HYBRID_PROJECT-ENV_GROUP" not found';
  t.deepEqual(brief(matchLine(line)), one('apigee-watcher-secret-not-found', 'missing-ingress-secret'));
  const match = matchLine(line)[0]!;
  t.is(match.kind, 'secret-not-found');
  t.is(match.tool, 'apigee-watcher');
  t.is(match.line, line);
  t.is(match.lineNumber, 1);
  t.deepEqual(
    transcript('NOT_FOUND: failed to get secret "MY_HYBRID_PROJECT-ENV_GROUP"\nin namespace "apigee": secrets "MY_HYBRID_PROJECT-ENV_GROUP" not found'),
    ['1: apigee-watcher-secret-not-found [missing-ingress-secret]'],
  );
});

test('playbook: malformed certificate, OpenSSL 1.1.1', (t) => {
  const text = [
    'unable to load certificate',
    '136613728412992:error:0D078095:asn1 encoding routines:asn1_item_embed_d2i:sequence not constructed:../crypto/asn1/tasn_dec.c:321:Type=X509',
    '136613728412992:error:0906700D:PEM routines:PEM_ASN1_read_bio:ASN1 lib:../crypto/pem/pem_oth.c:33:',
  ].join('\n');
  t.deepEqual(transcript(text), [
    '1: openssl1-unable-to-load-certificate [malformed-certificate]',
    '2: openssl11-asn1-sequence-not-constructed [malformed-certificate]',
    '3: openssl11-pem-asn1-lib []',
  ]);
});

test('playbook: malformed certificate, LibreSSL', (t) => {
  const text = ['error loading certificates', '8360934016:error:09FFF066:PEM routines:CRYPTO_internal:bad end line'].join('\n');
  t.deepEqual(transcript(text), ['1: libressl-error-loading-certificates [malformed-certificate]', '2: libressl-pem-bad-end-line []']);
  const reason = matchText(text)[1]!;
  t.is(reason.kind, 'bad-end-line');
  t.is(reason.tool, 'libressl');
});

test('playbook: unreadable key, then the modulus diff', (t) => {
  const text = [
    'unable to load Private Key',
    '133504499987776:error:09091064:PEM routines:PEM_read_bio_ex:bad base64 decode:../crypto/pem/pem_lib.c:949:',
    'Files /dev/fd/63 and /dev/fd/62 differ',
  ].join('\n');
  t.deepEqual(transcript(text), [
    '1: openssl1-unable-to-load-private-key [malformed-private-key]',
    '2: openssl11-pem-bad-base64-decode []',
    '3: diff-files-differ [key-mismatch]',
  ]);
  const diff = matchText(text)[2]!;
  t.is(diff.kind, 'diff-differ');
  t.is(diff.tool, 'diff');
  t.regex(diff.meaning, /unreliable/);
});

expectLines('playbook: other strings it quotes are not errors', [
  ['secret/MY_HYBRID_PROJECT-ENV_GROUP created', []],
  ['MY_HYBRID_PROJECT-ENV_GROUP   Opaque   2   7s', []],
  ['Certificate:', []],
  ['kubectl -n apigee get secrets | grep MY_HYBRID_PROJECT-ENV_GROUP', []],
]);

// --- OpenSSL 3.0 (reference/signatures.md §3) --------------------------------------------------

expectLines('OpenSSL 3: load lines of x509, rsa and pkey', [
  ['Could not read certificate from badend.crt', one('openssl3-could-not-read-certificate', 'malformed-certificate')],
  ['Could not read certificate from <stdin>', one('openssl3-could-not-read-certificate', 'malformed-certificate')],
  ['Unable to load certificate', one('openssl3-unable-to-load-certificate', 'malformed-certificate')],
  ['Could not read private key from good.crt', one('openssl3-could-not-read-private-key', 'malformed-private-key')],
  ['Could not read key from empty.key', one('openssl3-could-not-read-key', 'malformed-private-key')],
]);

expectLines('OpenSSL 3: STORE and DECODER lines, with hex and decimal thread ids', [
  [
    '4027D3D1197F0000:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:149:',
    one('openssl3-store-unsupported'),
  ],
  [
    '4027D3D1197F0000:error:1E08010C:DECODER routines:OSSL_DECODER_from_bio:unsupported:../crypto/encode_decode/decoder_lib.c:103:No supported data to decode. Input structure: Certificate',
    one('openssl3-decoder-unsupported', 'malformed-certificate'),
  ],
  [
    '140000000000000:error:1E08010C:DECODER routines:OSSL_DECODER_from_bio:unsupported:../crypto/encode_decode/decoder_lib.c:103:No supported data to decode. ',
    one('openssl3-decoder-unsupported'),
  ],
  [
    '40F73114107F0000:error:1E08010C:DECODER routines:OSSL_DECODER_from_bio:unsupported:../crypto/encode_decode/decoder_lib.c:101:No supported data to decode. Input type: PEM',
    one('openssl3-decoder-unsupported'),
  ],
  [
    'F03B0000:error:0308010C:digital envelope routines:inner_evp_generic_fetch:unsupported:crypto\\evp\\evp_fetch.c:341:Global default library context, Algorithm (RC2-40-CBC : 0), Properties ()',
    one('openssl3-evp-fetch-unsupported'),
  ],
]);

test('OpenSSL 3: an X-DECODE transcript classifies every line', (t) => {
  const store = '4027D3D1197F0000:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:149:';
  const decoder =
    '4027D3D1197F0000:error:1E08010C:DECODER routines:OSSL_DECODER_from_bio:unsupported:../crypto/encode_decode/decoder_lib.c:103:No supported data to decode. Input structure: Certificate';
  const text = ['Could not read certificate from badend.crt', store, decoder, store, 'Unable to load certificate', ''].join('\n');
  t.deepEqual(transcript(text), [
    '1: openssl3-could-not-read-certificate [malformed-certificate]',
    '2: openssl3-store-unsupported []',
    '3: openssl3-decoder-unsupported [malformed-certificate]',
    '4: openssl3-store-unsupported []',
    '5: openssl3-unable-to-load-certificate [malformed-certificate]',
  ]);
});

expectLines('OpenSSL 3: PEM reasons (crl2pkcs7, verify, pkcs7, Node)', [
  ['error reading the file, badend.crt', one('openssl3-crl2pkcs7-error-reading-file')],
  ['error loading certificates', one('libressl-error-loading-certificates', 'malformed-certificate')],
  ['4027D3D1197F0000:error:04800066:PEM routines:get_header_and_data:bad end line:../crypto/pem/pem_lib.c:871:', one('openssl3-pem-bad-end-line')],
  ['4027D3D1197F0000:error:04800064:PEM routines:PEM_read_bio_ex:bad base64 decode:../crypto/pem/pem_lib.c:966:', one('openssl3-pem-bad-base64-decode')],
  ['4027D3D1197F0000:error:0480006C:PEM routines:get_name:no start line:../crypto/pem/pem_lib.c:760:Expecting: PKCS7', one('openssl3-pem-no-start-line')],
  ['Error loading file badend.crt', one('openssl3-verify-error-loading-file')],
  ['4027D3D1197F0000:error:05880009:x509 certificate routines:X509_load_cert_crl_file_ex:PEM lib:../crypto/x509/by_file.c:235:', []],
  [
    '4027D3D1197F0000:error:05800088:x509 certificate routines:X509_load_cert_crl_file_ex:no certificate or crl found:../crypto/x509/by_file.c:252:',
    one('openssl3-no-certificate-found'),
  ],
  ['ERR_OSSL_PEM_BAD_END_LINE: error:04800066:PEM routines::bad end line', one('openssl3-pem-bad-end-line')],
  ['ERR_OSSL_PEM_BAD_BASE64_DECODE: error:04800064:PEM routines::bad base64 decode', one('openssl3-pem-bad-base64-decode')],
  ['ERR_OSSL_PEM_NO_START_LINE: error:0480006C:PEM routines::no start line', one('openssl3-pem-no-start-line')],
  ['SSL error:0480006C:PEM routines::no start line: crypto/pem/pem_lib.c:763', one('openssl3-pem-no-start-line')],
  ['ERR_OSSL_UNSUPPORTED: error:1E08010C:DECODER routines::unsupported', one('openssl3-decoder-unsupported')],
]);

expectLines('OpenSSL 3: ASN.1 reasons', [
  [
    '4027D3D1197F0000:error:0680007B:asn1 encoding routines:ASN1_get_object:header too long:../crypto/asn1/asn1_lib.c:95:',
    one('openssl3-asn1-header-too-long'),
  ],
  ['ERR_OSSL_ASN1_HEADER_TOO_LONG: error:0680007B:asn1 encoding routines::header too long', one('openssl3-asn1-header-too-long')],
  ['ERR_OSSL_ASN1_TOO_LONG: error:0680009B:asn1 encoding routines::too long', one('openssl3-asn1-too-long')],
  ['ERR_OSSL_ASN1_WRONG_TAG: error:068000A8:asn1 encoding routines::wrong tag', one('openssl3-asn1-wrong-tag')],
  [
    '4027D3D1197F0000:error:0680003A:asn1 encoding routines:asn1_item_embed_d2i:nested asn1 error:../crypto/asn1/tasn_dec.c:349:Type=X509',
    one('openssl3-asn1-error', 'malformed-certificate'),
  ],
  ['4027D3D1197F0000:error:06800066:asn1 encoding routines:asn1_check_tlen:bad object header:../crypto/asn1/tasn_dec.c:1188:', one('openssl3-asn1-error')],
  ['4027D3D1197F0000:error:0488000D:PEM routines:PEM_X509_INFO_read_bio_ex:ASN1 lib:../crypto/pem/pem_info.c:196:', one('openssl3-pem-asn1-lib')],
]);

expectLines('OpenSSL 3: modulus traps', [
  ['Not an RSA key', one('openssl-not-an-rsa-key')],
  ['Modulus=No modulus for this public key type', one('openssl-no-modulus')],
  ['Modulus=C0FFEE00112233', []],
]);

expectLines('OpenSSL 3: passphrase prompts and failures (PASS-PEM, PASS-P8, Node)', [
  ['Enter pass phrase for enc-pkcs1.key:', one('openssl-passphrase-prompt', 'malformed-private-key')],
  [
    '4027D3D1197F0000:error:1400006B:UI routines:UI_process:processing error:../crypto/ui/ui_lib.c:573:while reading strings',
    one('openssl3-ui-processing-error', 'malformed-private-key'),
  ],
  [
    '4027D3D1197F0000:error:07880028:common libcrypto routines:do_ui_passphrase:UI lib:../crypto/passphrase.c:187:',
    one('openssl3-ui-passphrase-lib', 'malformed-private-key'),
  ],
  [
    '4027D3D1197F0000:error:04800068:PEM routines:PEM_do_header:bad password read:../crypto/pem/pem_lib.c:442:',
    one('openssl3-pem-bad-password-read', 'malformed-private-key'),
  ],
  [
    '4027D3D1197F0000:error:1C80009F:Provider routines:epki2pki_decode:unable to get passphrase:../providers/implementations/encode_decode/decode_epki2pki.c:96:',
    one('openssl3-unable-to-get-passphrase', 'malformed-private-key'),
  ],
  [
    'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED: error:07880109:common libcrypto routines::interrupted or cancelled',
    one('openssl3-interrupted-or-cancelled', 'malformed-private-key'),
  ],
]);

expectLines('OpenSSL 3: wrong passphrase (bad decrypt)', [
  [
    '4027D3D1197F0000:error:04800065:PEM routines:PEM_do_header:bad decrypt:../crypto/pem/pem_lib.c:472:',
    one('openssl3-pem-bad-decrypt', 'malformed-private-key'),
  ],
  [
    '4027D3D1197F0000:error:1C800064:Provider routines:ossl_cipher_unpadblock:bad decrypt:../providers/implementations/ciphers/ciphercommon_block.c:124:',
    one('openssl3-provider-bad-decrypt', 'malformed-private-key'),
  ],
  ['ERR_OSSL_BAD_DECRYPT: error:1C800064:Provider routines::bad decrypt', one('openssl3-provider-bad-decrypt', 'malformed-private-key')],
  [
    '4027D3D1197F0000:error:11800074:PKCS12 routines:PKCS12_pbe_crypt_ex:pkcs12 cipherfinal error:../crypto/pkcs12/p12_decr.c:88:maybe wrong password',
    one('openssl3-pkcs12-cipherfinal-error', 'malformed-private-key'),
  ],
]);

expectLines('OpenSSL 3: key mismatch, expiry and host name', [
  ['error setting private key', one('openssl3-error-setting-private-key')],
  [
    '4027D3D1197F0000:error:05800074:x509 certificate routines:X509_check_private_key:key values mismatch:../crypto/x509/x509_cmp.c:403:',
    one('openssl3-key-values-mismatch', 'key-mismatch'),
  ],
  ['verify error:num=10:certificate has expired', one('openssl-verify-certificate-expired', 'certificate-expired')],
  ['Verify return code: 10 (certificate has expired)', one('openssl-verify-certificate-expired', 'certificate-expired')],
  ['error 10 at 0 depth lookup: certificate has expired', one('openssl-verify-certificate-expired', 'certificate-expired')],
  ['Hostname other.example.com does NOT match certificate', one('openssl-checkhost-mismatch', 'hostname-not-covered')],
  ['Hostname api.example.com does match certificate', []],
  ['Certificate will expire', []],
  ['Certificate will not expire', []],
]);

// --- OpenSSL 1.0 / 1.1.1 and LibreSSL (reference/signatures.md §5) ----------------------------

expectLines('OpenSSL 1.x and LibreSSL: no start line, with the object it expected', [
  [
    '140685502600512:error:0909006C:PEM routines:get_name:no start line:../crypto/pem/pem_lib.c:745:Expecting: TRUSTED CERTIFICATE',
    one('openssl11-pem-no-start-line', 'malformed-certificate'),
  ],
  [
    '140000000000000:error:0909006C:PEM routines:get_name:no start line:crypto/pem/pem_lib.c:745:Expecting: CERTIFICATE',
    one('openssl11-pem-no-start-line', 'malformed-certificate'),
  ],
  [
    '140551763596608:error:0909006C:PEM routines:get_name:no start line:crypto/pem/pem_lib.c:745:Expecting: ANY PRIVATE KEY',
    one('openssl11-pem-no-start-line', 'malformed-private-key'),
  ],
  [
    '139686029534976:error:0906D06C:PEM routines:PEM_read_bio:no start line:crypto/pem/pem_lib.c:691:Expecting: TRUSTED CERTIFICATE',
    one('openssl10-pem-no-start-line', 'malformed-certificate'),
  ],
  [
    '37410:error:0906D06C:PEM routines:PEM_read_bio:no start line:/BuildRoot/Library/Caches/com.apple.xbs/Sources/OpenSSL098/OpenSSL098-59/src/crypto/pem/pem_lib.c:648:Expecting: TRUSTED CERTIFICATE',
    one('openssl10-pem-no-start-line', 'malformed-certificate'),
  ],
  [
    '140735610413960:error:0906D06C:PEM routines:PEM_read_bio:no start line:/BuildRoot/Library/Caches/com.apple.xbs/Sources/libressl/libressl-22/libressl/crypto/pem/pem_lib.c:704:Expecting: ANY PRIVATE KEY',
    one('openssl10-pem-no-start-line', 'malformed-private-key'),
  ],
  [
    '8321322816:error:09FFF06C:PEM routines:CRYPTO_internal:no start line:/AppleInternal/Library/BuildRoots/x/Library/Caches/com.apple.xbs/Sources/libressl/libressl-3.3/crypto/pem/pem_lib.c:694:Expecting: TRUSTED CERTIFICATE',
    one('libressl-pem-no-start-line', 'malformed-certificate'),
  ],
  [
    '4600551020:error:09FFF06C:PEM routines:CRYPTO_internal:no start line:/BuildRoot/Library/Caches/com.apple.xbs/Sources/libressl/libressl-22.200.4/libressl-2.6/crypto/pem/pem_lib.c:683:Expecting: ANY PRIVATE KEY',
    one('libressl-pem-no-start-line', 'malformed-private-key'),
  ],
]);

expectLines('OpenSSL 1.x and LibreSSL: end line, base64, ASN.1, decrypt, mismatch, alert', [
  ['unable to load certificate', one('openssl1-unable-to-load-certificate', 'malformed-certificate')],
  ['unable to load Private Key', one('openssl1-unable-to-load-private-key', 'malformed-private-key')],
  ['140095589111456:error:0906D066:PEM routines:PEM_read_bio:bad end line:pem_lib.c:802:', one('openssl10-pem-bad-end-line')],
  ['error in rsa', []],
  ['140193354385360:error:0D07207B:asn1 encoding routines:ASN1_get_object:header too long:asn1_lib.c:157:', one('openssl11-asn1-header-too-long')],
  [
    '8321322816:error:0DFFF03A:asn1 encoding routines:CRYPTO_internal:nested asn1 error:/AppleInternal/x/libressl-3.3/crypto/asn1/tasn_dec.c:337:Type=X509',
    one('libressl-asn1-nested-error', 'malformed-certificate'),
  ],
  [
    '140000000000000:error:0906A065:PEM routines:PEM_do_header:bad decrypt:crypto/pem/pem_lib.c:461:',
    one('openssl11-pem-bad-decrypt', 'malformed-private-key'),
  ],
  ['SSL: error:0B080074:x509 certificate routines:X509_check_private_key:key values mismatch', one('openssl11-key-values-mismatch', 'key-mismatch')],
  ['curl: (35) error:14094410:SSL routines:SSL3_READ_BYTES:sslv3 alert handshake failure', one('openssl1-alert-handshake-failure', 'handshake-alert')],
]);

expectLines('OpenSSL 1.x family fallbacks catch other function codes of the same reasons', [
  ['140000000000000:error:0908F066:PEM routines:get_header_and_data:bad end line:../crypto/pem/pem_lib.c:823:', one('openssl1-pem-bad-end-line')],
  ['140000000000000:error:0906D064:PEM routines:PEM_read_bio:bad base64 decode:pem_lib.c:818:', one('openssl1-pem-bad-base64-decode')],
  ['140000000000000:error:0907B06C:PEM routines:PEM_READ_BIO_PRIVATEKEY:no start line:pem_pkey.c:1:', one('openssl1-pem-no-start-line')],
  [
    '272:error:0D07803A:asn1 encoding routines:ASN1_ITEM_EX_D2I:nested asn1 error:.\\crypto\\asn1\\tasn_dec.c:374:Type=X509_SIG',
    one('openssl1-asn1-error', 'malformed-private-key'),
  ],
  [
    '140000000000000:error:06065064:digital envelope routines:EVP_DecryptFinal_ex:bad decrypt:evp_enc.c:592:',
    one('openssl1-bad-decrypt', 'malformed-private-key'),
  ],
]);

test('a documented code wins over the family fallback of the same kind', (t) => {
  const line = '140685502600512:error:0909006C:PEM routines:get_name:no start line:../crypto/pem/pem_lib.c:745:';
  t.true(signatureById('openssl1-pem-no-start-line')!.pattern.test(normaliseLine(line)));
  t.deepEqual(brief(matchLine(line)), one('openssl11-pem-no-start-line'));
});

test('the object named on a reason line decides its cause; X509_CRL is not a certificate', (t) => {
  const crl = '140000000000000:error:0D07803A:asn1 encoding routines:ASN1_ITEM_EX_D2I:nested asn1 error:tasn_dec.c:374:Type=X509_CRL';
  t.deepEqual(brief(matchLine(crl)), one('openssl1-asn1-error'));
  const cinf = '140000000000000:error:0D07803A:asn1 encoding routines:ASN1_ITEM_EX_D2I:nested asn1 error:tasn_dec.c:374:Type=X509_CINF';
  t.deepEqual(brief(matchLine(cinf)), one('openssl1-asn1-error', 'malformed-certificate'));
});

// --- BoringSSL / Envoy / Istio (reference/signatures.md §6, apigee.md §7.3) --------------------

expectLines('BoringSSL and Envoy', [
  [
    'gRPC config for type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret rejected: Failed to load private key from <inline>, Cause: error:0900006e:PEM routines:OPENSSL_internal:NO_START_LINE',
    [
      { id: 'envoy-secret-rejected', causes: [] },
      { id: 'envoy-private-key-load-failed', causes: [] },
      { id: 'boringssl-pem-no-start-line', causes: ['malformed-private-key'] },
    ],
  ],
  ['error:0900006e:PEM routines:OPENSSL_internal:NO_START_LINE', one('boringssl-pem-no-start-line')],
  ['error:09000066:PEM routines:OPENSSL_internal:BAD_END_LINE', one('boringssl-pem-bad-end-line')],
  [
    'Failed to load private key from <inline>, Cause: error:0b000074:X.509 certificate routines:OPENSSL_internal:KEY_VALUES_MISMATCH',
    [
      { id: 'envoy-private-key-load-failed', causes: [] },
      { id: 'boringssl-key-values-mismatch', causes: ['key-mismatch'] },
    ],
  ],
  ['Failed to load certificate chain from <inline>', one('envoy-certificate-chain-load-failed', 'malformed-certificate')],
  ['Failed to load incomplete certificate from <inline>, <inline>', one('envoy-incomplete-certificate')],
  [
    'Failed to load incomplete certificate from <inline>: certificate chain not set',
    one('envoy-incomplete-certificate-chain-not-set', 'malformed-certificate'),
  ],
  ['Failed to load incomplete private key from path: <inline>', one('envoy-incomplete-private-key', 'malformed-private-key')],
  [
    'failed load server cert/key pair from secret my-org-prod-group: server cert or private key is empty',
    one('istio-sds-cert-or-key-empty', 'secret-missing-keys'),
  ],
  ['TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED', one('boringssl-certificate-verify-failed')],
  ['Cannot find secret spectrum-tls, searching for fallback secret gateway-fallback', one('istio-sds-secret-not-found', 'missing-ingress-secret')],
  [
    'error secretfetcher cannot find secret aks-istio-secret and cannot find fallback secret gateway-fallback',
    one('istio-sds-secret-not-found', 'missing-ingress-secret'),
  ],
]);

// --- Go crypto/tls.X509KeyPair (reference/signatures.md §6) ------------------------------------

expectLines('Go X509KeyPair messages', [
  ['error: failed to load key pair tls: failed to find any PEM data in certificate input', one('go-tls-no-pem-in-certificate', 'malformed-certificate')],
  [
    'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    one('go-tls-key-in-certificate-input', 'malformed-certificate'),
  ],
  [
    'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [PUBLIC KEY]',
    one('go-tls-no-certificate-block', 'malformed-certificate'),
  ],
  ['tls: failed to find any PEM data in key input', one('go-tls-no-pem-in-key', 'malformed-private-key')],
  ['tls: found a certificate rather than a key in the PEM for the private key', one('go-tls-certificate-in-key-input', 'malformed-private-key')],
  [
    'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [CERTIFICATE]',
    one('go-tls-no-private-key-block', 'malformed-private-key'),
  ],
  ['tls: private key type does not match public key type', one('go-tls-key-type-mismatch', 'key-mismatch')],
  ['tls: private key does not match public key', one('go-tls-key-mismatch', 'key-mismatch')],
  ['tls: failed to parse private key', one('go-tls-unparsable-private-key', 'malformed-private-key')],
]);

// --- curl, GnuTLS and Node handshake symptoms (reference/signatures.md §1) ---------------------

test('curl/OpenSSL transcript: reset', (t) => {
  const text = [
    '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
    '* Recv failure: Connection reset by peer',
    '* OpenSSL SSL_connect: Connection reset by peer in connection to api.example.com:443',
    '* Closing connection 0',
    'curl: (35) Recv failure: Connection reset by peer',
  ].join('\n');
  t.deepEqual(transcript(text), [
    '2: curl-recv-failure-connection-reset [handshake-reset]',
    '3: curl-openssl-ssl-connect-reset [handshake-reset]',
    '5: curl-recv-failure-connection-reset [handshake-reset]',
  ]);
});

test('curl/OpenSSL transcript: alert, CRLF line endings', (t) => {
  const text = [
    '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
    '* TLSv1.3 (IN), TLS alert, handshake failure (552):',
    '* OpenSSL/3.0.19: error:0A000410:SSL routines::sslv3 alert handshake failure',
    'curl: (35) OpenSSL/3.0.19: error:0A000410:SSL routines::sslv3 alert handshake failure',
    '',
  ].join('\r\n');
  t.deepEqual(transcript(text), [
    '2: curl-tls-alert-handshake-failure [handshake-alert]',
    '3: openssl3-alert-handshake-failure [handshake-alert]',
    '4: openssl3-alert-handshake-failure [handshake-alert]',
  ]);
  t.is(matchText(text)[1]!.line, '* OpenSSL/3.0.19: error:0A000410:SSL routines::sslv3 alert handshake failure');
});

test('curl/OpenSSL transcript: closed (SSL_ERROR_SYSCALL)', (t) => {
  const text = [
    '* OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.example.com:443',
    'curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.example.com:443',
  ].join('\n');
  t.deepEqual(transcript(text), ['1: curl-openssl-ssl-error-syscall [handshake-closed]', '2: curl-openssl-ssl-error-syscall [handshake-closed]']);
});

expectLines('curl TLS alert lines: fatal alerts from the server only', [
  // The server's unknown_ca and bad_certificate judge a client certificate; protocol_version the versions offered.
  ['* TLSv1.3 (IN), TLS alert, unknown CA (560):', one('curl-tls-alert-bad-certificate', 'client-certificate-required')],
  ['* TLSv1.3 (IN), TLS alert, bad certificate (554):', one('curl-tls-alert-bad-certificate', 'client-certificate-required')],
  ['* TLSv1.3 (IN), TLS alert, unknown (628):', one('curl-tls-alert-certificate-required', 'client-certificate-required')],
  ['* TLSv1.2 (IN), TLS alert, protocol version (582):', one('curl-tls-alert-protocol-version', 'tls-version-refused')],
  ['* TLSv1.3 (IN), TLS alert, internal error (592):', one('curl-tls-alert-fatal', 'handshake-alert')],
  ['* TLSv1.3 (OUT), TLS alert, unknown CA (560):', []],
  ['* TLSv1.3 (IN), TLS alert, close notify (256):', []],
]);

expectLines('curl with GnuTLS', [
  ['curl: (35) gnutls_handshake() failed: Handshake failed', one('curl-gnutls-handshake-failed-alert', 'handshake-alert')],
  ['curl: (35) gnutls_handshake() failed: A TLS fatal alert has been received.', one('curl-gnutls-fatal-alert', 'handshake-alert')],
  ['curl: (35) gnutls_handshake() failed: The TLS connection was non-properly terminated.', one('curl-gnutls-premature-termination', 'handshake-closed')],
  ['curl: (35) gnutls_handshake() failed: Error in the pull function.', one('curl-gnutls-pull-error', 'handshake-reset')],
]);

expectLines('Node', [
  ['ECONRESET', one('node-econnreset', 'handshake-reset')],
  ['Error: read ECONNRESET', one('node-econnreset', 'handshake-reset')],
  ["  code: 'ECONNRESET',", one('node-econnreset', 'handshake-reset')],
  ['Error: Client network socket disconnected before secure TLS connection was established', one('node-tls-socket-disconnected', 'handshake-closed')],
  [
    "Error: Client network socket disconnected before secure TLS connection was established { code: 'ECONNRESET' }",
    one('node-tls-socket-disconnected', 'handshake-closed'),
  ],
  ['ECONNRESETS are counted here', []],
]);

expectLines('curl exit 60: verification failures', [
  ['curl: (60) SSL certificate problem: certificate has expired', one('curl-certificate-expired', 'certificate-expired')],
  ['curl: (60) SSL certificate problem: certificate is not yet valid', one('curl-certificate-not-yet-valid', 'certificate-not-yet-valid')],
  ['curl: (60) SSL certificate problem: self-signed certificate', one('curl-self-signed-certificate', 'served-chain-untrusted')],
  ['curl: (60) SSL certificate problem: self signed certificate', one('curl-self-signed-certificate', 'served-chain-untrusted')],
  ['curl: (60) SSL certificate problem: self-signed certificate in certificate chain', one('curl-self-signed-certificate', 'served-chain-untrusted')],
  ['curl: (60) SSL certificate problem: unable to get local issuer certificate', one('curl-unable-to-get-local-issuer', 'served-chain-untrusted')],
  [
    "curl: (60) SSL: no alternative certificate subject name matches target host name 'api.example.com'",
    one('curl-no-alternative-subject-name', 'hostname-not-covered'),
  ],
  [
    "curl: (60) SSL: certificate subject name 'other.example.com' does not match target host name 'api.example.com'",
    one('curl-subject-name-mismatch', 'hostname-not-covered'),
  ],
]);

// --- Lines that must not match ---------------------------------------------------------------

expectLines('ordinary lines match nothing', [
  ['', []],
  ['-----BEGIN CERTIFICATE-----', []],
  ['-----END CERTIFICATE-----', []],
  ['* Connected to example.apis.com (10.0.0.1) port 443 (#0)', []],
  ['* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384', []],
  ['< HTTP/2 200', []],
  ['subject=CN = api.example.com', []],
  ['Files /dev/fd/63 and /dev/fd/62 are identical', []],
  ['{"level":"info","msg":"watching env group changes"}', []],
  ['Error: some unrelated failure', []],
]);

// --- matchLine / matchText details -----------------------------------------------------------

test('matchText: line numbers, verbatim lines, empty text', (t) => {
  const text = 'hello\n\n4027D3D1197F0000:error:04800066:PEM routines::bad end line\r\nbye';
  const matches = matchText(text);
  t.is(matches.length, 1);
  const match = matches[0]!;
  t.is(match.lineNumber, 3);
  t.is(match.line, '4027D3D1197F0000:error:04800066:PEM routines::bad end line');
  t.is(match.id, 'openssl3-pem-bad-end-line');
  t.is(match.kind, 'bad-end-line');
  t.is(match.tool, 'openssl-3');
  t.is(match.source, signatureById('openssl3-pem-bad-end-line')!.source);
  t.is(match.meaning, signatureById('openssl3-pem-bad-end-line')!.meaning);
  t.deepEqual(matchText(''), []);
  t.deepEqual(matchText('\n\n\n'), []);
  t.deepEqual(transcript('Not an RSA key'), ['1: openssl-not-an-rsa-key []']);
});

test('matchLine: takes an optional line number and keeps the line verbatim', (t) => {
  const line = '136613728412992:error:0906700D:PEM routines:PEM_ASN1_read_bio:ASN1 lib:../crypto/pem/pem_oth.c:33:\r';
  const [match] = matchLine(line, 42);
  t.is(match?.lineNumber, 42);
  t.is(match?.line, line);
});

test('match causes are copies: changing them does not change the catalog', (t) => {
  const [match] = matchLine('unable to load certificate');
  (match!.causes as string[]).push('key-mismatch');
  t.deepEqual(brief(matchLine('unable to load certificate')), one('openssl1-unable-to-load-certificate', 'malformed-certificate'));
});

// --- Hostile input ---------------------------------------------------------------------------

test('a 5 MB line is examined only in its first MAX_LINE_CHARS characters', (t) => {
  const blob = 'A'.repeat(5 * 1024 * 1024);
  t.deepEqual(matchLine(blob), []);
  const early = `Could not read certificate from x ${blob}`;
  t.deepEqual(brief(matchLine(early)), one('openssl3-could-not-read-certificate', 'malformed-certificate'));
  t.is(matchLine(early)[0]!.line.length, early.length);
  t.deepEqual(matchLine(`${'x'.repeat(MAX_LINE_CHARS)}Could not read certificate from x`), []);
});

test('hostile texts of several MB return (no catastrophic backtracking)', (t) => {
  const tenMegabytes = 10 * 1024 * 1024;
  t.deepEqual(matchText('\n'.repeat(tenMegabytes)), []);
  t.deepEqual(matchText('abcdefghij\n'.repeat(tenMegabytes / 11)), []);
  t.deepEqual(matchText(`${'Files '}${'a and '.repeat(680)}\n`.repeat(1000)), []);
  t.deepEqual(matchText(`${'error:0909006C:'}${':'.repeat(200)}\n`.repeat(1000)), []);
  // 4200 characters: the full Node message never appears in the first MAX_LINE_CHARS.
  t.deepEqual(matchText(`${'Client network socket disconnected '.repeat(120)}\n`.repeat(1000)), []);
  t.deepEqual(matchText('ECON'.repeat(tenMegabytes / 4)), []);
  t.deepEqual(
    matchText(`Failed to load incomplete certificate from ${':'.repeat(5000)}`).map((m) => m.id),
    ['envoy-incomplete-certificate'],
  );
});

test('non-UTF-8 decoded text and lone surrogates do not break matching', (t) => {
  const garbage = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]).toString('utf8');
  const text = `${garbage}\n\uD800\uDC00\uDFFF unable to load certificate \uD800\n${garbage.repeat(100_000)}`;
  t.deepEqual(transcript(text), ['2: openssl1-unable-to-load-certificate [malformed-certificate]']);
});

test('never throws on non-string input', (t) => {
  for (const value of [undefined, null, 42, {}, [], Symbol('x')]) {
    const input = value as unknown as string;
    t.deepEqual(matchLine(input), []);
    t.deepEqual(matchText(input), []);
    t.is(normaliseLine(input), '');
    t.is(extractWatcherMessage(input), '');
    t.false(watcherSecretNotFound(input, 'my-org-prod'));
    t.false(watcherSecretNotFound('failed to get secret "my-org-prod"', input));
  }
});

// --- The watcher -----------------------------------------------------------------------------

const WATCHER_LINE = 'NOT_FOUND: failed to get secret "my-org-prod-group" in namespace "apigee": secrets "my-org-prod-group" not found';

test('watcherSecretNotFound: plain text line', (t) => {
  t.true(watcherSecretNotFound(WATCHER_LINE, 'my-org-prod-group'));
  t.false(watcherSecretNotFound(WATCHER_LINE, 'my-org-prod'));
  t.false(watcherSecretNotFound(WATCHER_LINE, 'my-org-prod-group-2'));
  t.false(watcherSecretNotFound(WATCHER_LINE, ''));
  t.false(watcherSecretNotFound('secret "my-org-prod-group" synced', 'my-org-prod-group'));
});

test('watcherSecretNotFound: JSON log records (msg, message, other fields, timestamp prefix)', (t) => {
  const msg = JSON.stringify({ level: 'error', ts: 1700000000.5, msg: WATCHER_LINE });
  const message = JSON.stringify({ severity: 'ERROR', message: WATCHER_LINE });
  const errorField = JSON.stringify({ level: 'error', msg: 'reconcile failed', error: WATCHER_LINE });
  const stamped = `2024-05-01T10:00:00.000000000Z ${msg}`;
  for (const line of [msg, message, errorField, stamped]) {
    t.true(watcherSecretNotFound(line, 'my-org-prod-group'), line);
    t.false(watcherSecretNotFound(line, 'my-org'), line);
  }
  t.true(watcherSecretNotFound(msg.slice(0, 100), 'my-org-prod-group')); // a record cut short
});

test('the JSON-wrapped watcher line also matches the catalog, verbatim', (t) => {
  const line = JSON.stringify({ level: 'error', msg: WATCHER_LINE });
  t.deepEqual(brief(matchLine(line)), one('apigee-watcher-secret-not-found', 'missing-ingress-secret'));
  t.is(matchLine(line)[0]!.line, line);
});

// The watcher's real form (reference/apigee.md §12.1): zap JSON, constant msg, the text in `error`.
const ZAP_LINE = JSON.stringify({
  level: 'error',
  ts: 1687991930.7745812,
  caller: 'watcher/watcher.go:60',
  msg: 'error during watch',
  name: 'ingress',
  error: `INTERNAL: INTERNAL: failed to update ApigeeRoute my-org-other-84a6bb5, namespace apigee, ${WATCHER_LINE}`,
});

test('watcherSecretNotFound: the zap record, the text in error among joined errors', (t) => {
  t.true(watcherSecretNotFound(ZAP_LINE, 'my-org-prod-group'));
  t.false(watcherSecretNotFound(ZAP_LINE, 'my-org-prod'));
  t.is(extractWatcherMessage(ZAP_LINE), `INTERNAL: INTERNAL: failed to update ApigeeRoute my-org-other-84a6bb5, namespace apigee, ${WATCHER_LINE}`);
  t.deepEqual(brief(matchLine(ZAP_LINE)), [
    { id: 'apigee-watcher-secret-not-found', causes: ['missing-ingress-secret'] },
    { id: 'apigee-watcher-route-update-failed', causes: ['watcher-update-failed'] },
  ]);
});

test('extractWatcherMessage: error, then msg, then message, else the line', (t) => {
  t.is(extractWatcherMessage(JSON.stringify({ msg: 'error during watch', error: 'e' })), 'e');
  t.is(extractWatcherMessage(JSON.stringify({ msg: 'a', error: 7 })), 'a');
  t.is(extractWatcherMessage(JSON.stringify({ msg: 'a', message: 'b' })), 'a');
  t.is(extractWatcherMessage(JSON.stringify({ message: 'b' })), 'b');
  t.is(extractWatcherMessage(`ts=1 ${JSON.stringify({ msg: 'a' })}  `), 'a');
  t.is(extractWatcherMessage(JSON.stringify({ msg: 42, message: 'b' })), 'b');
  t.is(extractWatcherMessage(JSON.stringify({ level: 'error' })), '{"level":"error"}');
  t.is(extractWatcherMessage('[1,2,{"msg":"a"}]'), '[1,2,{"msg":"a"}]');
  t.is(extractWatcherMessage('{not json}'), '{not json}');
  t.is(extractWatcherMessage(WATCHER_LINE), WATCHER_LINE);
  t.is(extractWatcherMessage(''), '');
  const deep = `${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`;
  t.is(extractWatcherMessage(deep), deep);
});

// --- Issue #14: before and around the handshake (observed here, or as quoted in the cited issues)

expectLines('curl: no TCP connection, and timeouts (curl 7.88.1)', [
  ['curl: (6) Could not resolve host: nowhere.invalid', one('curl-could-not-resolve-host', 'connect-failed')],
  ["curl: (7) Failed to connect to 127.0.0.1 port 19449 after 0 ms: Couldn't connect to server", one('curl-failed-to-connect')],
  ['* connect to 127.0.0.1 port 19449 failed: Connection refused', one('curl-failed-to-connect')],
  ['curl: (28) Operation timed out after 2001 milliseconds with 0 out of 0 bytes received', one('curl-operation-timed-out')],
  ['* Connection timed out after 10001 milliseconds', one('curl-operation-timed-out')],
]);

expectLines('not TLS: wrong version number (OpenSSL 3, 1.1, LibreSSL)', [
  ['curl: (35) OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number', one('openssl3-wrong-version-number', 'not-tls')],
  ['curl: (35) error:1408F10B:SSL routines:ssl3_get_record:wrong version number', one('openssl1-wrong-version-number', 'not-tls')],
  ['curl: (35) error:1400410B:SSL routines:CONNECT_CR_SRVR_HELLO:wrong version number', one('libressl-wrong-version-number', 'not-tls')],
  ['* TLS connect error: error:0A00010B:SSL routines::wrong version number', one('openssl3-wrong-version-number', 'not-tls')],
]);

expectLines('protocol version refused (OpenSSL 3, LibreSSL on macOS, OpenSSL 1.x, SecureTransport)', [
  ['curl: (35) OpenSSL/3.0.19: error:0A00042E:SSL routines::tlsv1 alert protocol version', one('openssl3-alert-protocol-version', 'tls-version-refused')],
  ['* LibreSSL/3.3.6: error:1404B42E:SSL routines:ST_CONNECT:tlsv1 alert protocol version', one('libressl-alert-protocol-version', 'tls-version-refused')],
  [
    'curl: (56) LibreSSL SSL_read: LibreSSL/3.3.6: error:1404C42E:SSL routines:ST_OK:tlsv1 alert protocol version, errno 0',
    one('libressl-alert-protocol-version', 'tls-version-refused'),
  ],
  ['curl: (35) error:1407742E:SSL routines:SSL23_GET_SERVER_HELLO:tlsv1 alert protocol version', one('ssl-alert-protocol-version', 'tls-version-refused')],
  ['curl: (35) error:0A000102:SSL routines::unsupported protocol', one('ssl-unsupported-protocol', 'tls-version-refused')],
  ['curl: (35) Unsupported SSL protocol version', one('ssl-unsupported-protocol', 'tls-version-refused')],
]);

expectLines('client certificate required or refused (mutual TLS)', [
  [
    'curl: (56) OpenSSL SSL_read: OpenSSL/3.0.19: error:0A00045C:SSL routines::tlsv13 alert certificate required, errno 0',
    one('openssl3-alert-certificate-required', 'client-certificate-required'),
  ],
  ['curl: (35) error:14094412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate', one('ssl-alert-client-certificate', 'client-certificate-required')],
  ['curl: (56) OpenSSL/3.0.19: error:0A000418:SSL routines::tlsv1 alert unknown ca', one('ssl-alert-client-certificate', 'client-certificate-required')],
]);

expectLines('curl with Schannel (Windows)', [
  [
    'curl: (60) schannel: SEC_E_UNTRUSTED_ROOT (0x80090325) - The certificate chain was issued by an authority that is not trusted.',
    one('schannel-untrusted-root', 'served-chain-untrusted'),
  ],
  ['curl: (60) schannel: CertGetCertificateChain trust error CERT_TRUST_IS_UNTRUSTED_ROOT', one('schannel-untrusted-root', 'served-chain-untrusted')],
  ['curl: (35) schannel: next InitializeSecurityContext failed: SEC_E_CERT_EXPIRED (0x80090328)', one('schannel-certificate-expired', 'certificate-expired')],
  [
    'curl: (60) schannel: SNI or certificate check failed: SEC_E_WRONG_PRINCIPAL (0x80090322) - The target principal name is incorrect.',
    one('schannel-wrong-principal', 'hostname-not-covered'),
  ],
  [
    'curl: (35) schannel: next InitializeSecurityContext failed: SEC_E_ILLEGAL_MESSAGE (0x80090326) - This error usually occurs when a fatal SSL/TLS alert is received (e.g. handshake failed).',
    one('schannel-illegal-message', 'handshake-alert'),
  ],
  ['curl: (35) schannel: failed to receive handshake, SSL/TLS connection failed', one('schannel-failed-to-receive-handshake', 'handshake-closed')],
]);

// --- The ingress's own words: istiod, Envoy, and the watcher's route updates (reference/apigee.md §12) ---

const ENVOY_REJECTED = 'gRPC config for type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret rejected:';

expectLines('istiod (the ingress manager): its SDS lines name the secret', [
  [
    '2026-01-02T03:04:05.000000Z\twarn\tads\tfailed to fetch key and certificate for kubernetes://acme-prod: secret apigee/acme-prod not found',
    one('istiod-secret-not-found', 'missing-ingress-secret'),
  ],
  [
    "failed to fetch key and certificate for kubernetes://acme-prod: found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: ca.crt",
    one('istiod-secret-keys-wrong', 'secret-missing-keys'),
  ],
  ['failed to fetch key and certificate for kubernetes://acme-prod: found keys "cert" and "key", but they were empty', one('istiod-secret-keys-empty')],
  [
    'failed to fetch ca certificate for kubernetes://acme-prod-cacert: secret apigee/acme-prod-cacert not found',
    one('istiod-ca-fetch-failed', 'mtls-ca-invalid'),
  ],
  ['invalid certificates: "kubernetes://acme-prod": pem decode failed', one('istiod-invalid-certificate-pem', 'malformed-certificate')],
  [
    'invalid certificates: "kubernetes://acme-prod": x509: certificate is expired or not yet valid',
    one('istiod-invalid-certificate-expired', 'certificate-expired', 'certificate-not-yet-valid'),
  ],
]);

expectLines('Envoy (the gateway): the SDS rejection and the reason after it', [
  [
    `2026-01-02T03:04:05.000000Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138\t${ENVOY_REJECTED} Failed to load private key from <inline>, Cause: error:0b000074:X.509 certificate routines:OPENSSL_internal:KEY_VALUES_MISMATCH\tthread=15`,
    [
      { id: 'envoy-secret-rejected', causes: [] },
      { id: 'envoy-private-key-load-failed', causes: [] },
      { id: 'boringssl-key-values-mismatch', causes: ['key-mismatch'] },
    ],
  ],
  [
    `${ENVOY_REJECTED} Failed to load private key from <inline>, Cause: error:0900006e:PEM routines:OPENSSL_internal:NO_START_LINE`,
    [
      { id: 'envoy-secret-rejected', causes: [] },
      { id: 'envoy-private-key-load-failed', causes: [] },
      { id: 'boringssl-pem-no-start-line', causes: ['malformed-private-key'] },
    ],
  ],
  [
    `${ENVOY_REJECTED} Failed to load certificate chain from <inline>, only P-256 ECDSA certificates are supported`,
    [
      { id: 'envoy-secret-rejected', causes: [] },
      { id: 'envoy-only-p256-ecdsa', causes: [] },
      { id: 'envoy-certificate-chain-p256-only', causes: [] },
    ],
  ],
  [
    `${ENVOY_REJECTED} Failed to load certificate chain from <inline>`,
    [{ id: 'envoy-secret-rejected', causes: [] }, ...one('envoy-certificate-chain-load-failed', 'malformed-certificate')],
  ],
  [
    `${ENVOY_REJECTED} Failed to load incomplete certificate from <inline>`,
    [{ id: 'envoy-secret-rejected', causes: [] }, ...one('envoy-incomplete-certificate')],
  ],
]);

expectLines("apigee-watcher: it cannot update the env group's routes", [
  [
    JSON.stringify({
      level: 'error',
      ts: 1687991930.7745812,
      caller: 'watcher/watcher.go:60',
      msg: 'error during watch',
      name: 'ingress',
      error:
        'INTERNAL: INTERNAL: failed to update ApigeeRoute acme-prod-84a6bb5, namespace apigee: Internal error occurred: failed calling webhook "mapigeeroute.apigee.cloud.google.com": x509: certificate has expired or is not yet valid',
    }),
    [
      { id: 'apigee-watcher-webhook-x509', causes: ['watcher-update-failed'] },
      { id: 'apigee-watcher-route-update-failed', causes: ['watcher-update-failed'] },
    ],
  ],
]);

test("the old secret fetcher's lines are marked legacy, istiod's are not", (t) => {
  t.regex(signatureById('istio-sds-secret-not-found')!.legacy ?? '', /hybrid 1\.8\+/);
  t.regex(signatureById('istio-sds-cert-or-key-empty')!.legacy ?? '', /hybrid 1\.8\+/);
  t.is(signatureById('istiod-secret-not-found')!.legacy, undefined);
});
